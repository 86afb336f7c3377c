"""The `huiying` command: Django's management commands under one name.

`huiying import-network FILE` runs the `import_network` command; hyphens and underscores
are interchangeable, so every Django command (`huiying migrate`, `huiying createsuperuser`)
works too.
"""
import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huiying.settings")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    argv[0] = "huiying"
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
