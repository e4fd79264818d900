using System.Globalization;
using Spectre.Console;
using TaskFlow.Orleans.Index;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Cli;

/// <summary>Prints a page of the run index as a table; every value that came from users is printed literally.</summary>
internal static class IndexPrinter
{
    public static void PrintPage(FlowPage page, FlowQuery query)
    {
        var table = new Table().AddColumn("run").AddColumn("flow").AddColumn("state").AddColumn("atoms")
            .AddColumn("created (UTC)").AddColumn("updated (UTC)").AddColumn("failure");
        foreach (var run in page.Flows)
        {
            var atoms = string.Join(" ", run.AtomCounts.OrderBy(c => c.Key).Select(c => $"{StateNames.Of(c.Key)}:{c.Value}"));
            table.AddRow(
                Markup.Escape(run.FlowId),
                Markup.Escape(run.FactoryName is { } factory && factory != run.FlowName ? $"{run.FlowName} ({factory})" : run.FlowName),
                $"[{Colour(run.State)}]{StateNames.Of(run.State)}[/]",
                Markup.Escape(atoms),
                Time(run.CreatedAt),
                Time(run.UpdatedAt),
                Markup.Escape(Shorten(run.FailureSummary ?? "", 80)));
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"{page.Flows.Length} of {page.Total.ToString(CultureInfo.InvariantCulture)} run(s)" +
            (page.Next is { } next ? $"; next page: [bold]--after {Markup.Escape(next)}[/]" : "") +
            (query.States.IsDefaultOrEmpty ? "" : $"; states {Markup.Escape(string.Join(",", query.States.Select(StateNames.Of)))}"));
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    private static string Colour(FlowState state) => state switch
    {
        FlowState.Success => "green",
        FlowState.Failure or FlowState.Reverted => "red",
        FlowState.Suspended or FlowState.Suspending => "yellow",
        _ => "blue",
    };
}
