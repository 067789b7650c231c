return await Workbench.Cli.WorkbenchCommand.RunAsync(args).ConfigureAwait(false);
