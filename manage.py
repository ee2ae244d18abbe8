#!/usr/bin/env python
import sys

from platform_core.cli import main

if __name__ == "__main__":
    sys.exit(main())
