from tqcheck.cli import main

raise SystemExit(main())
