from crisis_dispatch.entrypoints.cli import main

main()
