"""The subcommands of ``rtmcompat``, one module each (``NAME``, ``HELP``, ``DESCRIPTION``, ``EXIT_STATUS``,
``add_arguments(parser)``, ``run(args, ctx)``); ``rtmcompat.cli`` builds the parser from them."""
