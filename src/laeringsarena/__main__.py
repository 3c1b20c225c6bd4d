from laeringsarena.cli import main

main()
