"""The portal: the top floor that composes the capabilities (see carenetwork.core.registry).

Nothing below it imports it: core, accounts, organisations and the capabilities show themselves to it by
registering, and import-linter's contracts in pyproject.toml keep it that way.
"""
