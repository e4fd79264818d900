using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using Spectre.Console;
using TaskFlow.Orleans.Index;
using TaskFlow.Orleans.Limits;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Cli;

/// <summary><c>taskflow purge &lt;flow-id&gt;</c> deletes one finished run; <c>taskflow purge --finished-before &lt;date or
/// age&gt; [--state S]... [--dry-run]</c> deletes (or counts) every finished run that finished before then, in batches.</summary>
internal static partial class PurgeCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="settings">How to reach the cluster, from the parsed command line.</param>
    /// <returns>The command.</returns>
    public static Command Create(Func<ParseResult, ConnectionSettings> settings)
    {
        var flowId = new Argument<string?>("flow-id") { Description = "The finished run to purge (or use --finished-before).", Arity = ArgumentArity.ZeroOrOne };
        var finishedBefore = new Option<string?>("--finished-before")
        {
            Description = "Purge every finished run that finished before this: a date (2026-11-01, 2026-11-01T12:00:00Z; UTC unless an offset is given) or an age (7d, 12h, 30m, 2w).",
        };
        var states = new Option<string[]>("--state") { Description = "With --finished-before: only runs in this finished state (SUCCESS, FAILURE, REVERTED); repeat for several." };
        var dryRun = new Option<bool>("--dry-run") { Description = "With --finished-before: count what would be purged, delete nothing." };
        var batchSize = new Option<int>("--batch-size") { Description = $"With --finished-before: runs deleted per batch (1 to {PurgeQuery.MaxBatchSize}).", DefaultValueFactory = _ => 500 };
        var command = new Command("purge", "Delete finished runs (logbook and run-index entry): one by id, or all that finished before a date or age. SUSPENDED and unfinished runs are never deleted.")
        {
            flowId, finishedBefore, states, dryRun, batchSize,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            // Everything is checked before anything connects.
            var id = result.GetValue(flowId);
            var before = result.GetValue(finishedBefore);
            var bulkOnly = (result.GetValue(states) ?? []).Length > 0 || result.GetValue(dryRun);
            if (id is null == before is null)
            {
                throw CliException.BadInput(id is null
                    ? "Say what to purge: a run id (taskflow purge <flow-id>) or --finished-before <date or age> for every run that finished before then."
                    : "Give a run id or --finished-before, not both: a run id purges that one run.");
            }

            if (id is not null)
            {
                if (bulkOnly)
                {
                    throw CliException.BadInput("--state and --dry-run go with --finished-before; a run id purges that one run.");
                }

                if (FlowIds.Problem(id, TaskFlowLimits.DefaultMaxFlowIdLength) is { } problem)
                {
                    throw CliException.BadInput($"{problem} (flow-id)");
                }

                return await PurgeOneAsync(settings(result), id, cancellationToken);
            }

            var query = new PurgeQuery
            {
                FinishedBefore = ParseFinishedBefore(before!, DateTimeOffset.UtcNow),
                States = [.. (result.GetValue(states) ?? []).Select(InputParser.ParseFlowState)],
                DryRun = result.GetValue(dryRun),
                BatchSize = result.GetValue(batchSize),
            };
            try
            {
                query.Validate();
            }
            catch (ArgumentException invalid)
            {
                throw CliException.BadInput(ErrorReport.MessageOf(invalid).Replace("The purge batch size", "--batch-size", StringComparison.Ordinal));
            }

            return await PurgeFinishedAsync(settings(result), query, cancellationToken);
        });
        return command;
    }

    /// <summary>Reads <c>--finished-before</c>: an age before <paramref name="now"/> (<c>7d</c>, <c>12h</c>, <c>30m</c>,
    /// <c>45s</c>, <c>2w</c>) or a date and time (UTC unless it carries an offset).</summary>
    /// <param name="text">The option's value.</param>
    /// <param name="now">The time an age counts back from.</param>
    /// <returns>The cutoff.</returns>
    /// <exception cref="FormatException">It is neither; the message shows both forms.</exception>
    public static DateTimeOffset ParseFinishedBefore(string text, DateTimeOffset now)
    {
        var trimmed = text.Trim();
        if (Age().Match(trimmed) is { Success: true } age)
        {
            var amount = double.Parse(age.Groups["amount"].Value, CultureInfo.InvariantCulture);
            var span = age.Groups["unit"].Value.ToLowerInvariant() switch
            {
                "w" => TimeSpan.FromDays(amount * 7),
                "d" => TimeSpan.FromDays(amount),
                "h" => TimeSpan.FromHours(amount),
                "m" => TimeSpan.FromMinutes(amount),
                _ => TimeSpan.FromSeconds(amount),
            };
            return now - span;
        }

        if (DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date))
        {
            return date;
        }

        throw new FormatException(
            $"--finished-before '{text}' is neither a date nor an age: use a date such as 2026-11-01 or 2026-11-01T12:00:00Z (UTC unless an " +
            "offset is given), or an age such as 7d, 12h, 30m, 45s or 2w (runs that finished longer ago than that).");
    }

    private static async Task<int> PurgeOneAsync(ConnectionSettings settings, string flowId, CancellationToken cancellationToken)
    {
        await using var session = await ClusterSession.OpenAsync(settings, cancellationToken);
        if (await session.Client.PurgeAsync(flowId, cancellationToken))
        {
            AnsiConsole.MarkupLine($"Purged run {Markup.Escape(flowId)}.");
            return 0;
        }

        throw new CliException(ExitCodes.NotFound, $"No run '{flowId}' exists; nothing was purged. Check the id (taskflow list shows the runs).");
    }

    private static async Task<int> PurgeFinishedAsync(ConnectionSettings settings, PurgeQuery query, CancellationToken cancellationToken)
    {
        await using var session = await ClusterSession.OpenAsync(settings, cancellationToken);
        var result = await session.Client.PurgeFinishedAsync(query, cancellationToken);
        var which = query.States.IsDefaultOrEmpty ? "finished" : string.Join("/", query.States.Select(StateNames.Of));
        var oldest = result.OldestFinishedAt is { } o ? $" (the oldest finished {Time(o)})" : "";
        AnsiConsole.MarkupLine(Markup.Escape(query.DryRun
            ? $"Would purge {result.Count} {which} run(s) that finished before {Time(query.FinishedBefore)}{oldest}; dry run: nothing was deleted."
            : $"Purged {result.Count} {which} run(s) that finished before {Time(query.FinishedBefore)}{oldest}."));
        return 0;
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<amount>\d+(\.\d+)?)\s*(?<unit>[wdhms])$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Age();
}
