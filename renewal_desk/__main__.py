from renewal_desk.cli import main

raise SystemExit(main())
