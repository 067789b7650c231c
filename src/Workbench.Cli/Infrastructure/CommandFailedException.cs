namespace Workbench.Cli.Infrastructure;

/// <summary>A command cannot do what was asked; its message is printed as the one error line.</summary>
public sealed class CommandFailedException(string message) : Exception(message);
