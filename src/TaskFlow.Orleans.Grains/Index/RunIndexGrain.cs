using System.Collections.Immutable;
using Orleans.Concurrency;
using TaskFlow.Orleans.Core.Compilation;
using TaskFlow.Orleans.Grains.Logbook;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.Grains.Tasks;
using TaskFlow.Orleans.Graphs;
using TaskFlow.Orleans.Index;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Grains.Index;

/// <summary>Answers run-index queries from the silo's logbook store, never activating a run (see <see cref="IRunIndexGrain"/>).</summary>
[StatelessWorker]
internal sealed class RunIndexGrain(
    LogbookCommitter committer, LogbookSerializer serializer, TaskCatalog catalog, Security.ValueMask mask, Retention.FinishedRunsPurger purger)
    : Grain, IRunIndexGrain
{
    public async Task<PurgeResult> PurgeFinishedBatchAsync(PurgeQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var filter = new FinishedRunsFilter { FinishedBefore = query.FinishedBefore, States = query.States.IsDefault ? [] : query.States };
        if (query.DryRun)
        {
            var tally = await committer.Store.CountFinishedAsync(filter);
            return new PurgeResult { Count = tally.Count, OldestFinishedAt = tally.OldestFinishedAt, DryRun = true };
        }

        var deleted = await purger.PurgeBatchAsync(filter, query.BatchSize);
        return new PurgeResult { Count = deleted.RunIds.Count, OldestFinishedAt = deleted.OldestFinishedAt };
    }

    public async Task<Snapshots.FlowSnapshot> GetStoredSnapshotAsync(string flowId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(flowId);
        var stored = await committer.Store.ReadAsync(flowId) ?? throw new FlowNotFoundException(flowId);
        return mask.Apply(RunLogbookState.Load(stored, serializer).ToSnapshot() with { Source = Snapshots.SnapshotSource.Logbook });
    }

    public async Task<FlowGraph> GetGraphAsync(string flowId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(flowId);
        var stored = await committer.Store.ReadAsync(flowId) ?? throw new FlowNotFoundException(flowId);
        // Compiled as the run's engine compiles it when activated, from the header alone: the run's progress is not read.
        return FlowGraphBuilder.Build(RunLogbookState.ReadHeader(stored, serializer).Compile(catalog));
    }

    public async Task<FlowStartRequest> GetStartRequestAsync(string flowId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(flowId);
        var stored = await committer.Store.ReadAsync(flowId) ?? throw new FlowNotFoundException(flowId);
        var header = RunLogbookState.ReadHeader(stored, serializer);
        var masked = header.Setup.Inputs.Keys.Where(mask.IsMasked).Order(StringComparer.Ordinal).ToList();
        if (masked.Count > 0)
        {
            // Masked values never leave the silos, and a re-run is started by the client from what it reads here.
            throw new InvalidOperationException(
                $"Run '{flowId}' cannot be re-run from a client: its inputs {string.Join(", ", masked.Select(n => $"'{n}'"))} are masked " +
                "(TaskFlow:MaskedKeys) and are never sent to clients. Start the flow again with its inputs instead.");
        }

        return new FlowStartRequest
        {
            Definition = header.Definition,
            FactoryName = header.FactoryName,
            Inputs = header.Setup.Inputs,
            Durability = header.Durability,
            Tags = [.. header.Tags],
        };
    }

    public async Task<FlowPage> ListAsync(FlowQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        FlowPageCursor? after = query.After is { } token && FlowPageCursor.TryParse(token, out var cursor) ? cursor : null;
        // One more than the page: whether it exists tells if there is a next page, without a last empty one.
        var result = await committer.Store.QueryAsync(new RunIndexQuery
        {
            States = query.States.IsDefault ? [] : query.States,
            Name = query.Name,
            Tag = query.Tag,
            CreatedFrom = query.CreatedFrom,
            CreatedBefore = query.CreatedBefore,
            IdPrefix = query.IdPrefix,
            After = after,
            Limit = query.PageSize + 1,
        });
        var entries = result.Entries.Take(query.PageSize).ToList();
        var last = entries.LastOrDefault();
        return new FlowPage
        {
            Flows = [.. entries.Select(Summary)],
            Total = result.Total,
            Next = result.Entries.Count > query.PageSize && last is not null ? new FlowPageCursor(last.Run.CreatedAt, last.RunId).ToString() : null,
        };
    }

    public async Task<ImmutableDictionary<FlowState, long>> CountByStateAsync() =>
        (await committer.Store.CountByStateAsync()).ToImmutableDictionary();

    private static FlowSummary Summary(RunIndexEntry entry)
    {
        var run = entry.Run;
        var counts = ImmutableDictionary.CreateBuilder<AtomState, int>();
        for (var state = 0; state < run.AtomCounts.Length; state++)
        {
            if (run.AtomCounts[state] > 0)
            {
                counts[(AtomState)state] = run.AtomCounts[state];
            }
        }

        return new FlowSummary
        {
            FlowId = entry.RunId,
            FlowName = run.FlowName,
            FactoryName = run.FactoryName,
            State = run.State,
            CreatedAt = run.CreatedAt,
            UpdatedAt = run.UpdatedAt,
            FinishedAt = run.FinishedAt,
            AtomCounts = counts.ToImmutable(),
            FailureSummary = run.FailureSummary,
            Tags = [.. run.Tags],
            Silo = run.Silo,
        };
    }
}
