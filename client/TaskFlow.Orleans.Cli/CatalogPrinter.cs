using Spectre.Console;
using TaskFlow.Orleans.Cluster;

namespace TaskFlow.Orleans.Cli;

/// <summary><c>taskflow flows</c>: the flow factories registered on the cluster's active silos, with the inputs each needs.</summary>
internal static class CatalogPrinter
{
    public static void PrintFactories(FlowCatalog catalog)
    {
        if (catalog.Factories.IsDefaultOrEmpty)
        {
            AnsiConsole.WriteLine("No flow factory is registered on the cluster's active silos. Register one with AddTaskFlow(taskFlow => taskFlow.AddFlow(name, BuildFlow)).");
            return;
        }

        var table = new Table().AddColumn("flow").AddColumn("required inputs").AddColumn("results").AddColumn("description");
        foreach (var factory in catalog.Factories)
        {
            // Text renderables: names and descriptions are printed as they are, brackets and all.
            table.AddRow(
                new Text(factory.Name),
                new Text(factory.Requires.IsDefaultOrEmpty ? "(none)" : string.Join(", ", factory.Requires)),
                new Text(factory.Provides.IsDefaultOrEmpty ? "" : string.Join(", ", factory.Provides)),
                new Text(factory.Description ?? ""));
        }

        AnsiConsole.Write(table);
        AnsiConsole.WriteLine($"{catalog.Factories.Length} flow(s). Start one with: taskflow run <flow> --input name=value ...");
    }
}
