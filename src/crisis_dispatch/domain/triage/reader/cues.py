"""The English pattern table: the cues of each flag as regular expressions.

The regular expressions found in five rounds of reading real pages (see
``docs/triage-measurements.md``): a cue names a danger, a person, a means or an act in the
words dispatchers use. A cue only *finds* a concept; whether the text raises it, denies it
or leaves it open is the context module's verdict (``context.py``), and the phrase lexicon
(``lexicon/concepts/``) adds phrases of Spanish and English that need no pattern.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..flags import (
    INTOXICATION,
    MEDICAL,
    MENTAL_HEALTH,
    OVERDOSE,
    POSSIBLE_MEDICAL,
    SELF_HARM_IN_PROGRESS,
    SUICIDAL,
    UNSAFE_LOCATION,
    VIOLENCE,
    WEAPON,
)

ADULT_AGE = 18

_I = re.IGNORECASE

#: Phrases that look like evidence but are only a protocol title (the chief complaint
#: name echoed by ProQA): "... / Suicide Attempt" there says nothing about this call.
TITLES = re.compile(
    r"PSYCHIATRIC\s*/\s*ABNORMAL\s+BEHAVIOU?R\s*/\s*SUICIDE\s*(?:A(?:TTEMPT|TT|\w*)?\.*)?"
    r"|PSYCH(?:IATRIC)?\s*/\s*(?:ABNORMAL|SUICIDE)\s*(?:/|\s)\s*(?:SUICIDE\s+)?ATTEMPT"
    r"|SUICIDE\s+ATTEMPT\s*/\s*PSYCH\w*"
    r"|Non-?suicidal and alert"
    r"|ABNORMAL\s+OR\s+SUICIDAL\s+BEHAVIOU?R",
    _I,
)

_PERSON = (
    r"(?:HIM|HER|THEM|HIS|MY|RP|R/P|CALLER|C/B|STAFF|FAMILY|MOM|MOTHER|DAD|FATHER|WIFE|HUSBAND|"
    r"BOYFRIEND|GIRLFRIEND|BF|GF|SON|DAUGHTER|BROTHER|SISTER|SOMEONE|PEOPLE|OTHERS?|EVERYONE|NEIGHBOU?RS?|"
    r"OFFICERS?|POLICE|COPS|DEPUTIES|NURSES?|PARENTS?|ROOMMATE|GRANDMA|GRANDMOTHER|US|ME|YOU|"
    r"EMPS?|EMPLOYEES?|CUSTOMERS?|WORKERS?|CLERKS?|MANAGERS?|SECURITY|TEACHERS?|CLIENTS?|RESIDENTS?|DOCTORS?|GUARDS?)"
)
_SELF = r"(?:HIM|HER|THEM|MY|YOUR|IT|HIS)\s?SELF|THEMSELVES"
#: People in general, as the object of a threat ("KILLING A LOT OF PEOPLE", "HURT ANYONE").
_PEOPLE = (
    r"(?:PEOPLE|PERSONS|OTHERS|EVERYONE|EVERYBODY|SOMEONE|SOMEBODY|ANYONE|ANYBODY|FOLKS|KIDS|CHILDREN|STUDENTS|"
    r"CO-?WORKERS|NEIGHBOU?RS|STAFF|OFFICERS|COPS)"
)
_PEOPLE_QUANTIFIER = (
    r"(?:(?:A\s+LOT|LOTS|A\s+BUNCH|A\s+COUPLE|A\s+GROUP|A\s+NUMBER)\s+OF\s+|"
    r"(?:SOME|MANY|OTHER|ALL(?:\s+THE)?|RANDOM|A\s+FEW|SEVERAL|THOSE|THESE|THE)\s+)"
)
#: People one may hurt, named with or without a determiner ("THE CALLER", "HIS WIFE", "HER").
_VICTIM = (
    r"(?:(?:THE|A|AN|HIS|HER|THEIR|MY)\s+)?(?:RP|R/P|CALLER|C/B|STAFF|FAMILY|MOM|MOTHER|DAD|FATHER|WIFE|HUSBAND|"
    r"BOYFRIEND|GIRLFRIEND|BF|GF|SON|DAUGHTER|BROTHER|SISTER|BABY|KIDS?|CHILD(?:REN)?|PARENTS?|ROOMMATE|GRANDMA|"
    r"GRANDMOTHER|GRANDPA|GRANDFATHER|NEIGHBOU?RS?|OFFICERS?|DEPUTY|DEPUTIES|NURSES?|DOCTORS?|GUARDS?|TEACHERS?|"
    r"EMPLOYEES?|CUSTOMERS?|WORKERS?|CLIENTS?|RESIDENTS?|MANAGERS?|CLERKS?|SOMEONE|EVERYONE|OTHERS|PEOPLE|HIM|HER|THEM|US|ME)"
    r"(?!\w)(?!\s*SELF)(?!\s+(?:CARS?|VEH\w*|HOUSE|HOME|ROOM|PHONE|DOOR|PROPERTY|UNITS?|STATION|BUILDING|OFFICE)\b)"
)
#: Ingesting something: "DRINK", "TOOK", "SWALLOWING".
_INGEST = r"(?:DRINK|DRANK|DRINKING|DRINKS|SWALLOW(?:S|ED|ING)?|TAKE|TAKES|TAKING|TOOK|INGEST(?:S|ED|ING)?)"
#: Fuel one may pour on oneself.
_FUEL = r"(?:GAS(?:OLINE)?|FUEL|KEROSENE|LIGHTER\s+FLUID|ACCELERANT|DIESEL)"
#: Drugs named by their brand or generic name, counted as tablets ("40 XANAX").
_DRUG_NAMES = (
    r"XANAX|ALPRAZOLAM|VALIUM|DIAZEPAM|KLONOPIN|KLONIPAN|CLONAZEPAM|ATIVAN|LORAZEPAM|AMBIEN|ZOLPIDEM|SEROQUEL|"
    r"QUETIAPINE|TRAZODONE|BENADRYL|TYLENOL|ACETAMINOPHEN|ADVIL|MOTRIN|IBUPROFEN|ASPIRIN|PERCOCET|VICODIN|NORCO|"
    r"OXY\w*|HYDROCODONE|TRAMADOL|METHADONE|LITHIUM|ADDERALL|GABAPENTIN|NEURONTIN|ZOLOFT|PROZAC|LEXAPRO|WELLBUTRIN|"
    r"MELATONIN|SLEEPING\s+PILLS"
)
_WEAPON_WORDS = (
    r"WEAPONS?|WEAPN|WPNS?|WEPS?|KNIF(?:E|ES)|KNIVES|NKIFE|KINFE|KNFIE|KNIEF|GUNS?|HAND\s?GUNS?|FIRE\s?ARMS?|PISTOLS?|RIFLES?|"
    r"SHOT\s?GUNS?|REVOLVERS?|MACHET+E?S?|SWORDS?|HATCHETS?|AXE|BLADES?|RAZORS?|BOX\s?CUTTERS?|SC?ISS?OR?S|SCIZZORS|"
    r"(?:BASEBALL\s)?BAT|CROWBAR|ARMED|GSW|GUN\s?SHOT|SHOTS\sFIRED|STABB?(?:ED|ING)|STAB\sWOUNDS?"
)


@dataclass(frozen=True)
class Cue:
    flag: str
    regex: re.Pattern[str]
    denial: bool = False  # the cue itself denies the flag ("Conscious, Breathing")
    negatable: bool = True  # negation words before it flip it ("NOT ALERT" is not negatable)
    # The cue implies the flag without naming it ("SHOOT HIMSELF": a gun). An implication
    # yields to an explicit denial of the flag ("NO GUNS") and, negated, denies nothing.
    implied: bool = False
    # The cue names the means at hand, so a wish before it does not make it mere talk
    # ("GOING TO DRINK THAT TO KILL HIMSELF": the bottle is there).
    means: bool = False
    # The cue puts the person at a dangerous place (a bridge, an overpass, the tracks): the
    # attempt needs a rescue, so police come as well as EMS.
    place: bool = False


def _cue(
    flag: str,
    pattern: str,
    *,
    denial: bool = False,
    negatable: bool = True,
    implied: bool = False,
    means: bool = False,
    place: bool = False,
) -> Cue:
    return Cue(flag, re.compile(pattern, _I), denial, negatable, implied, means, place)


# Shooting oneself, said in full: "SHOOT HIMSELF", "BLOW HER BRAINS OUT", "PUT A BULLET IN
# HIS HEAD", "EAT HIS GUN". A gun is implied, whatever the tense.
_SHOOTING_ONESELF = (
    r"BL(?:OW|OWS|OWING|EW|OWN)\s+(?:HIS|HER|THEIR|MY|YOUR)\s+(?:OWN\s+)?(?:BRAINS?|HEAD|FACE)\s+(?:OUT|OFF)|"
    r"(?:PUT|PUTS|PUTTING)\s+A\s+BULLET\s+(?:IN|INTO|THROUGH)\s+(?:HIS|HER|THEIR|MY|YOUR)\s+(?:OWN\s+)?(?:HEAD|BRAINS?)|"
    r"EAT(?:S|ING)?\s+(?:A|HIS|HER|THEIR|MY|YOUR)\s+(?:GUN|BULLET)"
)


CUES: tuple[Cue, ...] = (
    # -- weapon --------------------------------------------------------------------
    _cue(WEAPON, rf"(?<![\w-])(?:{_WEAPON_WORDS})(?![\w-])"),
    _cue(WEAPON, r"\bSuffix\s*:?\s*[WB]\b(?:\s*\((?:Weapons?|Both[^)]*)\))?", negatable=False),
    _cue(WEAPON, r"\bSHOT\s+(?:HIM|HER|THEM)SELF\b"),
    _cue(WEAPON, r"\b(?:SHOOT(?:S|ING)?\s+(?:" + _SELF + r")|" + _SHOOTING_ONESELF + r")\b", implied=True),
    _cue(
        WEAPON, r"(?<![\w.])\.?(?:22|38|357|380|40|44|45|9MM|9\s?MM)\s?(?:CAL(?:IBER)?|MAG(?:NUM)?|MM|HANDGUN|PISTOL|REVOLVER)\b"
    ),
    _cue(WEAPON, r"\b0?(?:23|25)-?[A-EO]-?\d{1,2}-?[WB]\b", negatable=False),
    # -- violence toward others -----------------------------------------------------------
    _cue(
        VIOLENCE,
        r"\b(?:VIOLEN(?:T|CE)(?:LY)?|VIOL?(?=\s*(?:/|$|\.))|COMBATIVE|AGG?RESS?IVE|ASSAULT(?:ED|ING|IVE)?|FIGHT(?:ING|S)?|"
        r"HOMICIDAL|BELLIGERENT|DESTRUCTIVE|DESTROYING|BREAKING\s+(?:THINGS|STUFF|WINDOWS?|FURNITURE)|"
        r"THROWING\s+(?:THINGS|STUFF|OBJECTS|ITEMS|FURNITURE|CHAIRS?|ROCKS))\b",
    ),
    _cue(VIOLENCE, r"(?<!PANIC )(?<!HEART )(?<!ANXIETY )\bATTACK(?:ED|ING|S)?\s+" + _PERSON + r"\b"),
    _cue(
        VIOLENCE,
        r"\b(?:(?:HARM|HURT|KILL)(?:ING)?\s+(?:" + _SELF + r")\s+(?:AND|&|OR|/)\s+OTHERS|"
        r"(?:MAKING|MADE|MAKES)\s+THREATS\s+(?:TO|AGAINST|TOWARDS?)\s+(?!(?:HARM|HURT|KILL|COMMIT|END|TAKE|JUMP|CUT|HANG|SHOOT|"
        r"OD|"
        r"OVERDOSE|DIE|SUICIDE|HIMSELF|HERSELF|THEMSELVES|SELF)\b)|ACTING\s+OUT\s+(?:TOWARDS?|AT|AGAINST)|"
        r"(?:WAS|GOT|GETTING|BEING)\s+PHYSICAL\s+WITH|BARRICADED)\b",
    ),
    _cue(
        VIOLENCE,
        r"\b(?:(?:CAME|COMES|COMING|WENT|CHARG(?:ED|ING))\s+(?:AT|AFTER|TOWARDS?)\s+(?:(?:THE|HIS|HER|A)\s+)?(?:CARS?|VEH\w*|"
        r"FATHER|MOTHER|DAD|MOM|WIFE|HUSBAND|BROTHER|SISTER|STAFF|OFFICERS?|CUSTOMERS?|EMPLOYEES?)|"
        r"VERBAL\s+(?:[\w/]+\s+){0,4}?(?:AND|&|/)\s*"
        r"PHYSICAL|(?<!NOT )(?<!NON )(?<!NON-)PHYSICALLY\s+(?:AGGRESSIVE|ABUSIVE|THREATENING))\b",
    ),
    _cue(
        VIOLENCE,
        r"\b(?:HOMI?O?CIDAL|HOSTILE|COMING\s+AT\s+"
        + _PERSON
        + r"|(?:STRIKE|STRUCK|STRIKING|BITE|BITING)\s+"
        + _PERSON
        + r"|(?:KILL|HURT|HARM|STAB|SHOOT|CHOKE)\s+(?:HIM|HER|THEM|EVERYONE|SOMEONE|PEOPLE|OTHERS|US|ME)(?!\w)(?!\s*SELF)"
        + r"|(?:BROKE|BROKEN|SMASH(?:ED|ING)?|PUNCH(?:ED|ING)?|KICK(?:ED|ING)?)\s+(?:[\w']+\s+){0,2}?"
        r"(?:WINDOWS?|DOORS?|WALLS?|CABINETS?|TV|FURNITURE|THINGS|STUFF|CAR))\b",
    ),
    _cue(
        VIOLENCE,
        r"\b(?:HIT|HITTING|PUNCH(?:ED|ING)?|KICK(?:ED|ING)?|BEAT(?:ING)?|BIT|BITING|CHOK(?:ED|ING)|"
        r"SLAPP?(?:ED|ING)?|SHOV(?:ED|ING)|PUSH(?:ED|ING)|SPIT(?:TING)?\s+(?:AT|ON))\s+" + _PERSON + r"\b",
    ),
    _cue(
        VIOLENCE,
        r"\bTHREAT(?:EN(?:ED|ING|S)?|S)?\s+(?:TO\s+)?(?:KILL|HURT|HARM|SHOOT|STAB|BEAT|ATTACK)\s+"
        r"(?:(?:HIS|HER|THE|A|MY|ALL)\s+)?(?!(?:HIM|HER|THEM|MY)\s?SELF)" + _PERSON + r"\b(?!\s*SELF)",
    ),
    _cue(
        VIOLENCE,
        r"\b(?:KILL|HURT|HARM|SHOOT|STAB)\s+(?:HIS|HER|THE)\s+(?:MOM|MOTHER|DAD|FATHER|WIFE|HUSBAND|"
        r"FAMILY|KIDS?|CHILDREN|BROTHER|SISTER|PARENTS?|BF|GF|BOYFRIEND|GIRLFRIEND|ROOMMATE|NEIGHBOU?R)\b",
    ),
    _cue(VIOLENCE, r"\bTHREA\w*EN\w*\s+(?:TO\s+)?" + _PERSON + r"\b(?!\s*SELF)"),
    _cue(
        VIOLENCE,
        r"\b(?:GET|GETTING|IS|BEING|BECAME|BECOMING|GOT)\s+PHYSICAL\b|\b(?:THREAT|DANGER|HARM)\s+TO\s+(?:(?:"
        + _SELF
        + r")\s+(?:AND|&)\s+)?OTHERS\b",
    ),
    # harm to people in general, in any tense or wish: "contemplated killing a lot of people",
    # "thoughts of hurting others", "wants to shoot everyone" (a wish is a threat toward others)
    _cue(VIOLENCE, r"\b(?:KILL|HURT|HARM|SHOOT|STAB|MURDER)(?:ING|S)?\s+" + _PEOPLE_QUANTIFIER + r"?" + _PEOPLE + r"\b"),
    # homicidal ideation beside suicidal ideation: "SI/HI", "HI AND SI"
    _cue(VIOLENCE, r"\bSI\s*(?:/|AND|&|\+)\s*HI\b|\bHI\s*(?:/|AND|&|\+)\s*SI\b"),
    # violence by its acts, toward a named person (sweep 2026-11-27): "TRYING TO BITE THE
    # CALLER", "BEING BATTERED", "ABUSING HER FATHER", "LOCKING HER IN A ROOM", and a threat
    # to kill oneself *and* someone else ("KILL HIMSELF AND HIS WIFE")
    _cue(
        VIOLENCE,
        r"\b(?:HIT|HITS|HITTING|PUNCH(?:ES|ED|ING)?|KICK(?:S|ED|ING)?|BEAT(?:S|ING)?|BITE|BITES|BIT|BITING|"
        r"CHOK(?:E|ES|ED|ING)|SLAPP?(?:S|ED|ING)?|SHOV(?:E|ES|ED|ING)|PUSH(?:ES|ED|ING)?|STRIK(?:E|ES|ING)|STRUCK|"
        r"ATTACK(?:S|ED|ING)?|BATTER(?:S|ED|ING)?|SCRATCH(?:ES|ED|ING)?|STRANGL(?:E|ES|ED|ING)|"
        r"SPIT(?:S|TING)?\s+(?:AT|ON))\s+" + _VICTIM,
    ),
    _cue(
        VIOLENCE,
        r"\b(?:(?:IS|WAS|WERE|BEING|BEEN|GOT|GETTING|GETS)\s+(?:[\w-]+\s+)?BATTERED|"
        r"(?<!VERBALLY )(?<!VERBAL )(?<!EMOTIONALLY )ABUS(?:ING|ES)\s+" + _VICTIM + r"|"
        r"LOCK(?:S|ED|ING)?\s+" + _VICTIM + r"\s+(?:IN|INSIDE|INTO)\b|"
        r"(?:KILL|HURT|HARM|SHOOT|STAB)(?:ING)?\s+(?:" + _SELF + r")\s+(?:AND|&|\+)\s+(?:ALSO\s+)?" + _VICTIM + r")",
    ),
    _cue(VIOLENCE, r"\bSuffix\s*:?\s*[VB]\b(?:\s*\((?:Violent|Both[^)]*)\))?", negatable=False),
    _cue(VIOLENCE, r"\b0?(?:23|25)-?[A-EO]-?\d{1,2}-?[VB]\b", negatable=False),
    # threats with no object, or toward no one named: "MAKING THREATS", "IRATE, THREATENING";
    # not threats toward oneself ("THREATENING SUICIDE", "THREATENING TO JUMP")
    _cue(
        VIOLENCE,
        r"(?<!SUICIDE )(?<!SUICIDAL )(?<!SUICIDE-)(?<!SUIC )(?<!SELF )(?<!SELF-)(?<!HARM )\b(?:MAKING\s+|MADE\s+|MAKES\s+)?"
        r"THREAT(?:S|ENING|ENED)\b(?!\s*(?:TO\s+(?:COMMIT|KILL|HURT|HARM|END|TAKE|JUMP|CUT|HANG|SHOOT|OD|OVERDOSE|DIE|DROWN|STAB|"
        r"RUN|WALK|SET|LEAVE|POISON|OVER|(?:HIM|HER|THEM|MY)\s?SELF)\b|OF\s+(?:SUICIDE|SELF|HARMING|KILLING|HURTING)|SUIC\w*|"
        r"SELF|"
        r"(?:HIM|HER|THEM)\s?SELF|HIS\s+(?:OWN\s+)?LIFE|HER\s+(?:OWN\s+)?LIFE|TO\s+(?:END|TAKE)\b|S?I\b))",
    ),
    _cue(VIOLENCE, r"\b(?:BEING|BEEN|GETTING|GOT|WAS|IS)\s+ROUGH\s+WITH\b"),
    _cue(VIOLENCE, r"\b(?:DOMESTIC|DV)\b(?!\s*(?:HX|HISTORY))"),
    # -- medical emergency ------------------------------------------------------------------
    _cue(
        MEDICAL,
        r"\b(?:UN-?CONSCIOUS(?:NESS)?|UNCON|UNC|UNRESP(?:ONSIVE)?|NOT\s+(?:COMPLETELY\s+)?ALERT|"
        r"NOT\s+CONSCIOUS|NOT\s+BREATH(?:ING)?(?:\s+(?:NORMALLY|NLLY))?|NOT\s+RESPONDING|NOT\s+MOVING|"
        r"(?:DIFF(?:ICULTY)?|TROUBLE|DIFFICULT)\s+BREATHING|SOB|CPR|CARDIAC|(?<!UNDER )ARREST|SEIZ(?:URE|URES|ING)|SIEZ(?:URE|"
        r"URES|ING)|SEZ(?:URE|URES|ING)|"
        r"CHEST\s+PAINS?|BLEEDING|BLEED|BLOODY|BLOOD(?!\s+(?:PRESSURE|SUGAR|WORK|TESTS?|DRAW|ALCOHOL))|HEMORR?HAG\w*|LACERAT\w*|"
        r"INJUR(?:Y|IES|ED)|HEAD\s+INJ\w*|"
        r"PASS(?:ED|ING)?\s+OUT|FAINT(?:ED|ING)?|CHANGING\s+COLOU?R|(?:BLUE|GRAY|GREY|PALE)\s+(?:COLOU?R|LIPS)|"
        r"(?:BLUE|RED|PALE)\s+COLOU?R\s+CHANGE|SWEATING|CLAMMY|COLOU?R\s+CHANGE|GSW|GUN\s?SHOT\s+WOUND|STAB\s+WOUNDS?|"
        r"ALTERED\s+MENTAL\s+STATUS|AMS|MENTAL\s+STATUS\s+CHANGES?|BLACK(?:ING|ED)?\s+OUT|BLACKOUTS?|DIABETIC|"
        r"LOW\s+BLOOD\s+SUGAR|STROKE|"
        r"(?:HEAD|NECK|CHEST)\s+(?:TRAUMA|WOUND)|CUT\s+(?:HIS|HER|THEIR)?\s*(?:WRISTS?|THROAT|ARMS?|NECK)|"
        r"(?:DEEP|SEVERE|BAD)\s+(?:CUTS?|LACERATIONS?)|(?:UN|SEMI[- ]?)CON(?:S|C|SC)\w*|LABOU?RED(?:\s+BREATHING)?|"
        r"IN\s+AND\s+OUT|SLURR\w*|SHALLOW\s+BREATH\w*|HEAT\s+(?:EXHAUSTION|STROKE)|HYPO\w*|HYPERGLYC\w*|(?:CANNOT|CAN'?T|"
        r"UNABLE\s+TO)\s+(?:SPEAK|WALK|TALK|STAND|BREATHE|WAKE)|FACE\s+DOWN|"
        r"NO\s+RESPONSE|DISORIENT\w*|BLOOD\s+SUGAR|CHANGE\s+IN\s+MENTAL\s+STATUS|ALTERED\s+MENTAL|ALT\s+MENTAL|"
        r"LOW\s+BP|(?:BLOOD\s+)?SUGAR\s+(?:IS\s+|OF\s+|AT\s+)?\d+|DIABETIC\s+COMA|DECEASED|DOA|"
        r"(?:HAS\s+)?FALLEN|FELL(?:\s+DOWN)?|(?:DID\s+NOT|DIDN\W?T|NOT)\s+MOVE|MEDICAL\s+EMERGENCY|"
        r"(?:PERSON|MAN|ONE|SUBJ(?:ECT)?)\s+DOWN|STABB?(?:ED|ING)|(?:WAS|BEEN|GOT)\s+SHOT|(?:CAN'?T|CANNOT|UNABLE\s+TO)\s+ROUSE|"
        r"HURT\s+(?:HIS|HER)\s+(?:HEAD|NOSE|ARM|LEG|BACK|NECK|FACE|HAND|FOOT))\b",
    ),
    _cue(MEDICAL, r"\b(?:CONSCIOUS|CONS|BREATHING|BREATH(?:ING)?\s+NORMALLY|ALERT)\s*[:=?]\s*(?:NO|N|NEG)\b", negatable=False),
    _cue(MEDICAL, r"\bMEDICAL\s*:\s*YES\b", negatable=False),
    # breathing in trouble, in the abbreviations of call types ("SHALLOW RESP"); a person who
    # will not respond when spoken to (not "will not respond to texts")
    _cue(
        MEDICAL,
        r"\b(?:SHALLOW|LABOU?RED|AGONAL|IRREGULAR|GASPING)\s+(?:RESP(?:IRATIONS?|IRATORY|S)?|BREATHS?)\b|"
        r"\b(?:WILL\s+NOT|WON'?T|WONT|WOULD\s+NOT|WOULDN'?T|DOES\s+NOT|DOESN'?T|DOESNT|IS\s+NOT|ISN'?T)\s+RESPOND(?:ING)?"
        r"(?=\s*(?:$|[./;,]|\bWHEN\b|\bTO\s+(?:(?:HIS|HER|THEIR)\s+NAME|VOICE|TOUCH|PAIN|VERBAL|SHAKING|STIMUL\w*)))",
    ),
    # a doubt whether the person breathes or is conscious: "NOT SURE IF CHEST IS RISING",
    # "UNK IF BREATHING", a ProQA line "Conscious: Unknown Breathing: Unknown" (like 25B6)
    _cue(
        POSSIBLE_MEDICAL,
        r"\b(?:NOT\s+SURE|UNSURE|UNK(?:N|NOWN)?|DON'?T\s+KNOW|DOES\s+NOT\s+KNOW|DOESN'?T\s+KNOW|CAN'?T\s+TELL|"
        r"CANNOT\s+TELL|UNABLE\s+TO\s+(?:TELL|DETERMINE|CONFIRM))\s+(?:IF|WHETHER)\s+(?:[\w']+\s+){0,3}?"
        r"(?:BREATHING|CONSCIOUS|ALIVE|(?:CHEST|STOMACH)\s+(?:IS\s+)?(?:RISING|MOVING))\b|"
        r"\bCONSCIOUS(?:NESS)?(?:\s+STATUS)?\s*[:=]?\s*UNK(?:NOWN)?\W+(?:[\w']+\W+){0,3}?"
        r"BREATHING(?:\s+STATUS)?\s*[:=]?\s*UNK(?:NOWN)?\b",
        negatable=False,
    ),
    _cue(MEDICAL, r"(?<!NOT )(?<!UN)(?<!UNK IF )\bCONSCIOUS\s*(?:,|AND|/)\s*BREATHING\b", denial=True, negatable=False),
    _cue(MEDICAL, r"\bCONSCIOUS\s*[:=]\s*YES\W+BREATHING\s*[:=]\s*YES\b", denial=True, negatable=False),
    _cue(
        MEDICAL,
        r"(?<!NOT )(?<!IF )\b(?:COMPLETELY\s+ALERT|BREATHING\s+(?:NORMALLY|NLLY)|CONS(?:CIOUS)?\s*/\s*BREATH\w*)\b",
        denial=True,
        negatable=False,
    ),
    _cue(MEDICAL, r"\bMEDICAL\s*:\s*NO\b|\bNO\s+MEDICAL\b", denial=True, negatable=False),
    # signs of death: no pulse to be found, a body stiff or cold ("CANT FEEL A PULSE, HE IS
    # STIFF"), found dead (not a phone that "went dead")
    _cue(
        MEDICAL,
        r"\b(?:(?:CAN'?T|CANNOT|CANT|COULD\s*N'?T|COULDNT|UNABLE\s+TO|NOT\s+ABLE\s+TO)\s+(?:FEEL|FIND|GET|DETECT|LOCATE)\s+"
        r"(?:A\s+|ANY\s+|HIS\s+|HER\s+)?PULSE|NO\s+PULSE|PULSELESS|NO\s+SIGNS?\s+OF\s+LIFE|RIGOR(?:\s+MORTIS)?|"
        r"OBVIOUS(?:LY)?\s+DEAD|OBVIOUS\s+DEATH|"
        r"(?:HE|SHE|THEY|PT|PATIENT|BODY|MALE|FEMALE|SUBJ\w*)\s+(?:IS|WAS|IS\s+ALREADY|WAS\s+ALREADY|FEELS?|FELT)\s+"
        r"(?:STIFF|DEAD|DECEASED|COLD\s+(?:AND|&)\s+(?:BLUE|STIFF))|"
        r"FOUND\s+(?:HIM|HER|THEM|\w+)\s+(?:DEAD|DECEASED|UNRESPONSIVE))\b",
    ),
    # -- overdose / ingestion ----------------------------------------------------------------
    _cue(
        OVERDOSE,
        r"(?<![\w/])(?:OD|O\.D\.|OD'?D|ODED|OD'ING|OVER\s?DOS\w*|OVERDOES|OVRDS?|POISON\w*|INGEST\w*|"
        r"NARCAN|NALOXONE|HEROIN|FENTANYL|OPIOIDS?|OPIATES?)(?![\w/])",
    ),
    _cue(
        OVERDOSE,
        r"\b(?:TOOK|TAKEN|HAS\s+TAKEN|SWALLOWED|ATE|INGESTED|DRANK)\s+(?:[\w'-]+\s+){0,5}?"
        r"(?:PILLS?|MEDS|MEDICATIONS?|TABLETS?|BOTTLE|TYLENOL|ASPIRIN|BLEACH|ANTIFREEZE|XANAX|IBUPROFEN|"
        r"ADVIL|SLEEPING\s+PILLS|SUBSTANCE|DRUGS|NARCOTICS|OXY\w*|PERCOCET|KLONOPIN|KLONIPAN|AMBIEN|LITHIUM|"
        r"INSULIN|RAT\s+POISON|CLEANER|CHEMICALS?|ACID|MUSHROOMS|LSD|RUBBING\s+ALC\w*|ISOPROPYL\w*|"
        r"HAND\s+SANITI[SZ]ER|MOUTHWASH|LAMP\s+OIL|LIGHTER\s+FLUID|GASOLINE|WINDSHIELD\s+(?:WASHER\s+)?FLUID)\b",
    ),
    _cue(OVERDOSE, r"\b\d+\s+(?:[A-Z'-]+\s+){0,3}?(?:PILLS|TABLETS|TYLENOL\w*|CAPSULES)\b"),
    # a count of a named drug, three or more ("40 XANAX, 1 1/2 HRS AGO"; a dose in MG is not a count)
    _cue(
        OVERDOSE,
        r"\b(?:[3-9]|[1-9]\d+)\s*(?:-\s*\d+\s+)?(?:OR\s+(?:SO|MORE)\s+)?(?:OF\s+(?:HIS|HER|THEIR|MY)\s+)?(?:"
        + _DRUG_NAMES
        + r")\b",
    ),
    _cue(
        OVERDOSE,
        r"\b(?:TOOK|TAKEN|SWALLOWED|INGESTED)\s+(?:ABOUT\s+|LIKE\s+|OVER\s+)?\d+\b|"
        r"\bPUT\s+SOMETHING\s+IN\s+(?:HIS|HER|THEIR|MY)\s+DRINK|\bDRUGGED\b|\bROOFIE\w*",
    ),
    _cue(OVERDOSE, r"\b0?23-?[A-EO]-?\d{1,2}(?:-?[A-Z])?\b", negatable=False),
    _cue(
        OVERDOSE,
        r"\bINJECTED\s+(?:" + _SELF + r")|\bTOOK\s+SOMETHING\b|\bGOT\s+INTO\s+(?:THE\s+)?(?:[\w-]+\s+){0,3}?"
        r"(?:PILLS|MEDS|MEDICATIONS?|CLEANER|BLEACH|POISON|CHEMICALS?|PEST\s+CONTROL|LIQUID|DETERGENT)\b",
    ),
    _cue(OVERDOSE, r"\b(?:NARCOTICS|(?:UNK|UNKNOWN)\s+SUBSTANCE|ANTIDEPRESSANTS?|SOME\s+MEDS|POISON)\s+TAKEN\b"),
    # -- self-harm in progress (attempt, or means at hand) -------------------------------------
    _cue(
        SELF_HARM_IN_PROGRESS,
        r"\b(?:ATTEMPT(?:ED|ING|S)?\s+(?:TO\s+)?(?:SUICIDE|SUIC\w*|KILL|HANG|OD|OVERDOSE|CUT|JUMP|SHOOT|STAB)|"
        r"SUICIDE\s+ATT(?:EMPT)?S?|SUICIDAL\s+ATTEMPT|ATT(?:EMPTED)?\.?\s+SUICIDE|ATSUCI|"
        r"CUT(?:TING)?\s+(?:HIS|HER|THEIR)?\s*(?:WRISTS?|ARMS?|THROAT|NECK|LEGS?)|CUT(?:TING)?\s+(?:" + _SELF + r")|"
        r"SLIT\w*|SLASH(?:ED|ING)?\s+(?:HIS|HER|THEIR)\s+WRISTS?|HANG(?:ING|ED)?\s+(?:" + _SELF + r")|"
        r"HUNG\s+(?:" + _SELF + r")|HANGING|NOOSE|JUMP(?:ED|ING)?\s+(?:OFF|FROM|IN\s+FRONT)|"
        r"GUN\s+TO\s+(?:HIS|HER|THEIR)\s+HEAD|"
        r"(?:KNIFE|BLADE|RAZOR|GUN)\s+TO\s+(?:HIS|HER|THEIR)\s+(?:THROAT|WRISTS?|HEAD|CHEST|NECK)|"
        r"(?:STANDING|WALKING|LAYING|LYING)\s+IN\s+(?:THE\s+)?(?:TRAFFIC|ROADWAY|ROAD|STREET)|"
        r"SELF[- ]INFLICTED|(?:SHOT|STABB?(?:ED|ING)?)\s+(?:" + _SELF + r")|"
        r"BLEW\s+(?:HIS|HER|THEIR)\s+(?:OWN\s+)?(?:BRAINS?|HEAD|FACE)\s+(?:OUT|OFF)|IN\s+THE\s+ACT|SUIC\w*\s+ATT\w*|"
        r"TRIED\s+TO\s+(?:KILL|COMMIT|HANG|CUT|OD|OVERDOSE|HURT|HARM|SHOOT|STAB|JUMP)|"
        r"(?:TRYING|TRY)\s+(?:TO|AND)\s+(?:KILL|HANG|CUT|OD|OVERDOSE|HURT|HARM|SHOOT|STAB|JUMP)|"
        r"DID\s+SOMETHING\s+TO\s+(?:"
        + _SELF
        + r")|HOSE\s+(?:IN|INTO|FROM)\s+(?:THE\s+|HIS\s+|HER\s+)?(?:VEHICLE|CAR|EXHAUST|WINDOW)|(?:ROPE|BELT|CORD|SHEET|"
        r"NOOSE)\s+(?:WRAPPED\s+)?AROUND\s+(?:HIS|HER|THEIR)?\s*NECK|"
        r"(?:STEER|DRIVE|DROVE|DRIVING|STEERING|SWERV)\w*\s+(?:[\w/]+\s+){0,3}?INTO\s+(?:ONCOMING\s+)?TRAFFIC|"
        r"(?:RUN|RUNNING|RAN|WALK|WALKING|WALKED|JUMP|JUMPING)\s*INTO\s*(?:THE\s*)?(?:TRAFFIC|ROADWAY|ROAD|STREET|HIGHWAY))\b",
    ),
    _cue(SELF_HARM_IN_PROGRESS, r"\b0?23-?[A-EO]-?\d{1,2}-?I\b", negatable=False),
    # at a dangerous place, with or without an article: "ON OVERPASS", "ON THE TRACKS",
    # "ON TOP OF THE PARKING STRUCTURE", "ON THE EDGE OF THE ROOF"
    _cue(
        SELF_HARM_IN_PROGRESS,
        r"\b(?:ON|ATOP|ON\s+TOP\s+OF|ON\s+THE\s+EDGE\s+OF|AT\s+THE\s+EDGE\s+OF|OVER\s+THE\s+(?:RAIL(?:ING)?|EDGE)\s+OF|"
        r"HANGING\s+(?:OFF|FROM))\s+(?:(?:THE|A|AN)\s+)?(?:(?:FREEWAY|HIGHWAY|HWY|FWY)\s+)?"
        r"(?:LEDGE|ROOF(?:TOP)?|BRIDGE|OVER\s?PASS|(?:(?:RAIL(?:ROAD|WAY)?|TRAIN|METRO|LIGHT\s+RAIL)\s+)?TRACKS|"
        r"PARKING\s+(?:GARAGE|STRUCTURE)|BALCONY\s+(?:LEDGE|RAILING|EDGE)|CLIFF|EDGE)\b",
        place=True,
    ),
    # sweep 2026-11-27: stepping in front of vehicles (not "walking in front of the TV"),
    # harming oneself now ("HURTING HIMSELF AND IS RUNNING", not "thoughts of hurting
    # himself"), setting oneself on fire or dousing oneself in fuel
    _cue(
        SELF_HARM_IN_PROGRESS,
        r"\b(?:(?:WALK|STEP|RUN|RAN|JUMP|THROW|THREW|LAY|LAID|LIE|LYING|LAYING|DART|DASH|GET|GOT)\w*\s+(?:(?:" + _SELF + r")\s+)?"
        r"(?:OUT\s+)?IN\s?FRONT\s+OF\s+(?:(?:A|AN|THE|ONCOMING|ON-?COMING|MOVING|PASSING|SEVERAL)\s+)*"
        r"(?:CARS?|TRAFFIC|TRUCKS?|TRAINS?|BUS(?:ES)?|VEH\w*|SEMIS?|AUTOS?|MOTORISTS?)|"
        r"(?<!OF )(?<!ABOUT )(?<!ON )(?:HURTING|HARMING|INJURING|HITTING|PUNCHING|BANGING|SCRATCHING|BITING|BEATING)\s+(?:"
        + _SELF
        + r")|"
        r"(?:SET|SETS|SETTING|LIGHT|LIGHTS|LIGHTING|LIT)\s+(?:" + _SELF + r")\s+(?:ON\s+)?FIRE|SELF[- ]IMMOLAT\w*|"
        r"(?:POUR|POURS|POURED|POURING|DOUS(?:E|ES|ED|ING)|SOAK(?:S|ED|ING)?)\s+(?:(?:SOME\s+)?"
        + _FUEL
        + r"\s+(?:ON|OVER)\s+(?:"
        + _SELF
        + r")|(?:"
        + _SELF
        + r")\s+(?:IN|WITH)\s+"
        + _FUEL
        + r"))\b",
    ),
    # an ingestion named as the means of suicide: the means is at hand, whatever the tense
    # ("GOING TO DRINK THAT TO TRY AND KILL HIMSELF"); "drinking ... and threatened to kill
    # himself" is two things, not a means
    _cue(
        SELF_HARM_IN_PROGRESS,
        r"\b" + _INGEST + r"\s+(?:(?!(?:AND|THREAT\w*|THREA\w*|SAID|SAYS|STATE\w*|BUT|THEN)\b)[\w'-]+\s+){0,6}?"
        r"(?:TO|IN\s+AN\s+ATTEMPT\s+TO)\s+(?:TRY\s+(?:TO|AND)\s+)?(?:KILL|END|HURT|HARM)\s+(?:" + _SELF + r")",
        means=True,
    ),
    _cue(
        SELF_HARM_IN_PROGRESS,
        r"(?<!ACCIDENTAL OR )\b(?:INTENTIONAL(?:LY)?\s*(?:OD|OVERDOSE|INGESTION)?|"
        r"THIS\s+WAS\s+INTENTIONAL|ON\s+PURPOSE)\b",
    ),
    _cue(SELF_HARM_IN_PROGRESS, r"\bSuffix\s*:?\s*I\s*\(Intentional\)", negatable=False),
    # -- suicidal ideation / threats ------------------------------------------------------------
    _cue(
        SUICIDAL,
        r"\b(?:SUICID\w*|SUIC|SUCIDAL|SUICIAL|S/I|SI|SI/HI|JUMPER|SELF[- ]HARM\w*|"
        r"(?:KILL|HURT|HARM|SHOOT|HANG|CUT|END|INJURE|INJ)(?:ING)?\s+(?:" + _SELF + r")|INJ\w*\s+SELF|PULL\s+THE\s+TRIGGER|"
        r"(?:THREAT|DANGER)\s+TO\s+(?:" + _SELF + r")|"
        r"END\s+(?:HIS|HER|THEIR|MY)\s+(?:OWN\s+)?LIFE|TAKE\s+(?:HIS|HER|THEIR|MY)\s+(?:OWN\s+)?LIFE|"
        r"WANTS?\s+TO\s+DIE|"
        + _SHOOTING_ONESELF
        + r"|DANGER\s+TO\s+(?:"
        + _SELF
        + r")|THOUGHTS\s+OF\s+(?:(?:HARMING|HURTING|KILLING)(?!\s+"
        + _PEOPLE_QUANTIFIER
        + r"?"
        + _PEOPLE
        + r"\b)|SUICIDE|DYING))\b",
    ),
    # -- intoxication -------------------------------------------------------------------------
    _cue(
        INTOXICATION,
        r"\b(?:INTOX\w*|DRUNK|ETOH|ALCOH\w*|TRIPPING|INEBRIATED|UNDER\s+THE\s+INFLUENCE|UTI(?=\s+OF)|"
        r"HIGH\s+ON|(?:BEEN\s+)?DRINKING|METH(?:AMPHETAMINES?)?|COCAINE|CRACK|MARIJUANA|WEED|SPICE|K2|PCP|"
        r"ON\s+DRUGS|DRUG\s+(?:USE|USER|ABUSE)|SMOKING\s+(?:WEED|CRACK|METH|POT)|\d+\s*BEERS?)\b",
    ),
    # -- possible medical problem: the reader cannot rule one out ------------------------------
    # Loose talk of ingestion, injury or a body in trouble. Not a finding: an uncertainty
    # that keeps the call from the team alone until someone rules the danger out.
    _cue(
        POSSIBLE_MEDICAL,
        r"\b(?:PILLS?|TABLETS?|CAPSULES?|HANDFUL|UNK(?:NOWN)?\s+(?:AMOUNT|QTY|QUANTITY|MEDS?|MEDICATIONS?|SUBSTANCE)|"
        r"BOTTLES?\s+OF|"
        r"(?:TOOK|TAKEN|SWALLOWED|INGESTED|CONSUMED|SOOK)\s+(?!(?:HIM|HER|THEM|IT|ME|US|OFF|OUT|OVER|AWAY|BACK|DOWN|UP|HOME|"
        r"PLACE|CARE|CUSTODY|TO|INTO|FROM|A\s+(?:WALK|CAB|TAXI|BUS|RIDE|SHOWER|NAP|LOOK)|(?:THE|HIS|HER|THEIR|MY)\s+(?:CAR|KEYS?|"
        r"PHONE|"
        r"BUS|KIDS?|CHILD(?:REN)?|DOG|TRUCK|VEHICLE|MONEY|WALLET))\b)[\w'-]+|TAKE\s+(?:ABOUT\s+)?\d+|"
        r"REACTION\s+TO|ALLERGIC|(?<!EMOTIONAL )(?<!EMOTIONALLY )PAINS?|HURTS?(?!\s+(?:HIM|HER|THEM|MY|YOUR|ANYONE|SOMEONE|"
        r"OTHERS|PEOPLE|ME|US|EVERYONE|HIMSELF|HERSELF|THEMSELVES|MYSELF|SELF)\b)|HURTING\s+(?:IN|ALL)|"
        r"(?<!MENTALLY )(?<!MENTAL )SICK(?!\s+OF)|VOMIT\w*|"
        r"THROW(?:ING|S)?\s+UP|NAUSEA\w*|FOAM\w*|SHAKING|TREMORS?|LETHARGIC|MOAN\w*|MUMBL\w*|SNORING|"
        r"(?:HARD|UNABLE|DIFFICULT)\s+TO\s+(?:WAKE|ROUSE|UNDERSTAND)|(?:WON'?T|WOULD\s+NOT|WILL\s+NOT)\s+WAKE(?:\s+UP)?|DIZZ\w*|"
        r"CONFUS\w*|OUT\s+OF\s+IT|(?:DOES\s+NOT|DOESN'?T|DONT|DON'?T)\s+KNOW\s+WHERE\s+(?:SHE|HE|THEY)\s+(?:IS|ARE)|"
        r"STUMBL\w*|STAGGER\w*|FALLING|FALLS?|ON\s+(?:THE\s+)?(?:GROUND|FLOOR|SIDEWALK|PAVEMENT)|SPASMS?|SPRAIN\w*|"
        r"RAPID\s+(?:BREATHING|HEART\s*(?:RATE|BEAT))|"
        r"(?:LAYING|LYING|LAID|SLUMPED|COLLAPSED)(?:\s+(?:IN|ON|ACROSS|AT|BY|NEXT\s+TO)\b)?|BLOOD\s+PRESSURE|O2|HEART\s*RATE|"
        r"HEART\s+(?:ATTACK|PROBLEMS?|CONDITION)|SUGAR|INSULIN|PREGNANT|SCRATCH\w*|CUT(?:S|TING)?(?!\s+OFF)|BURN(?:S|ED|ING|T)?|"
        r"WOUNDS?|"
        r"ALT(?:ERED)?\s+LOC|(?:EXTREMELY|VERY|HIGHLY|HEAVILY|SEVERELY|REALLY|SUPER)\s+(?:INTOX\w*|DRUNK|IMPAIRED|HIGH|"
        r"INEBRIATED)|"
        r"BARELY\s+(?:ABLE|CONSCIOUS|BREATHING|AWAKE|RESPONSIVE|STANDING|WALKING|TALKING|MOVING)|"
        r"(?:LOOKS?|LOOKED|SEEMS?|APPEARS?)\s+(?:TO\s+BE\s+)?(?:ASLEEP|PASSED|DEAD|LIFELESS|UNWELL|ILL|HURT|INJURED)|"
        r"(?:REQ\w*|WANTS?|NEEDS?|ASK\w*|CALL\w*)\s+(?:FOR\s+)?(?:AN\s+|THE\s+)?AMBU(?:LANCE)?|STILL\s+BREATHING|"
        r"DROPPED\s+THE\s+PHONE|WENT\s+(?:SILENT|QUIET)|STOPPED\s+(?:RESPONDING|TALKING)|"
        r"(?<!MENTALLY )(?<!MENTAL )ILL(?:NESS)?|FEEL(?:S|ING)?\s+(?:ILL|UNWELL|WEAK|FAINT))\b",
    ),
    # -- a scene not safe to approach: responders told to stage for the police ----------------
    _cue(
        UNSAFE_LOCATION,
        r"\b(?:STAGE|STAGING|STAGED|STG|STGE)\b(?!\s+(?:\d|[IV]+\b|OF\b))|\bSCENE\s+(?:IS\s+)?NOT\s+(?:SECURE|SAFE)\b|"
        r"\bUNTIL\s+(?:PD|LE|LEO|POLICE|LAW|SO|DEPUTIES|OFFICERS?)\s+(?:SECURES?|ARRIVES?|ON\s+SCENE|CLEARS?)\b|"
        r"\b(?:UNTIL|WHEN|ONCE)\s+(?:THE\s+)?SCENE\s+(?:IS\s+)?SECURED?\b",
        negatable=False,
    ),
    # a struggle on scene: someone is holding the person down
    _cue(
        UNSAFE_LOCATION,
        r"\b(?:HOLDING|HELD|PINNED|PINNING)\s+(?:(?:HIM|HER|THEM)\s+DOWN|DOWN\s+(?:HIS|HER|THE)?\b)|"
        r"\bRESTRAINING\s+(?:HIM|HER|THEM)\b",
    ),
    # -- mental-health component ---------------------------------------------------------------
    _cue(
        MENTAL_HEALTH,
        r"\b(?:PSYCH\w*|(?<!ALTERED )(?<!ALTERD )(?<!ALTER )(?<!ALT )(?<!IN )MENTAL(?:LY)?(?!\s+STATUS)(?:\s+(?:HEALTH|ILLNESS|"
        r"ILL|DISORDER|DISTURBANCE|PATIENT|CRISIS))?|"
        r"MENT|EDP|E\.D\.P\.?|EMOTIONAL\w*|BEHAVIOU?RAL|ABNORMAL\s+BEHAVIOU?R|BI-?POLAR|SCHIZ\w*|"
        r"(?<!ANTI-)(?<!ANTI )DEPRESS(?!ANTS)\w*|NERVOUS\s+BREAKDOWN|MENTAL\s+BREAK\s?DO?WN|"
        r"ANXI\w*|PANIC\s+ATTACK|HALLUCINAT\w*|HEARING\s+VOICES|SEEING\s+THINGS|PARANOI\w*|DELUSION\w*|"
        r"5150|5585|BAKER\s+ACT|(?<!DIABETIC )(?<!SICKLE CELL )CRISIS|ERRATIC\w*|BIZARRE|IRRATIONAL\w*|MANIC|PSYCHOSIS|PTSD|"
        r"AUTIS\w*|"
        r"ACTING\s+(?:STRANGE|STRANGELY|WEIRD|CRAZY|OUT|ODD|IRRATIONAL\w*|ERRATIC\w*|PARANOID)|"
        r"NOT\s+ACTING\s+RIGHT|OFF\s+(?:HIS|HER|THEIR)\s+(?:MEDS|MEDICATIONS?)|"
        r"NOT\s+(?:BEEN\s+)?TAKING\s+(?:HIS|HER|THEIR)\s+(?:MEDS|MEDICATIONS?)|"
        r"TALKING\s+TO\s+(?:HIM|HER|THEM)SELF|FREAKING\s+OUT|MHMR|TALKING\s+(?:NON\s?SENSE|CRAZY)|NOT\s+MAKING\s+SENSE)\b",
    ),
)

# A person's age: "17YOM", "17 Y/O", "16 YRS OLD", "17-year-old", "65 year(s)", "AGE: 15".
AGE = re.compile(
    r"\b(?P<age>\d{1,3})\s*-?\s*(?:YOA|Y/O|YO|YR|YRS|YEARS?|YEAR\(S\))(?:[- ]OLD)?"
    r"(?:[MFWBH]{1,2})?\b|\bAGE\s*:?\s*(?P<age2>\d{1,3})\b",
    _I,
)
MINOR_WORDS = re.compile(
    r"\b(?:JUV(?:ENILE)?S?|CHILD|KID|TEEN(?:AGER|AGED)?|MINOR(?!\s+(?:HEMORR?HAGE|INJUR\w*|BLEED\w*|CUTS?|"
    r"LACERAT\w*|BURNS?|PAIN)))\b",
    _I,
)
