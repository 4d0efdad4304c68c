/** The {@code vigil} command line: argument parsing and one class per subcommand. */
package dev.vigil.service.cli;
