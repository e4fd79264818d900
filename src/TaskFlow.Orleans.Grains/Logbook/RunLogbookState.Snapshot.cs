using System.Collections.Immutable;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Snapshots;
using TaskFlow.Orleans.Storage;

using TaskFlow.Orleans.Logbook;

namespace TaskFlow.Orleans.Grains.Logbook;

/// <summary>The run as a snapshot. The engine's snapshots (<c>IFlowGrain.GetSnapshotAsync</c>) and the stored ones
/// (<c>IRunIndexGrain.GetStoredSnapshotAsync</c>) are both built here, so they show a run the same way.</summary>
internal sealed partial class RunLogbookState
{
    /// <summary>The run as a snapshot: states, results, failures, timings and progress of every atom.</summary>
    /// <returns>The snapshot.</returns>
    public FlowSnapshot ToSnapshot() => ToSnapshot(0, int.MaxValue);

    /// <summary>The run as a snapshot with a page of its atoms: the run's state, statistics and failures are whole; its
    /// results are those the page's atoms provide (all of them for a whole snapshot).</summary>
    /// <param name="skip">How many atoms to skip.</param>
    /// <param name="take">How many atoms to include.</param>
    /// <returns>The snapshot.</returns>
    public FlowSnapshot ToSnapshot(int skip, int take)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(take);
        var first = Math.Min(skip, _atoms.Length);
        var end = (int)Math.Min(_atoms.Length, (long)first + take);
        var atoms = ImmutableArray.CreateBuilder<AtomSnapshot>(end - first);
        var failures = ImmutableDictionary.CreateBuilder<string, Failure>(StringComparer.Ordinal);
        var setup = Header.Setup.Atoms;
        var totals = new FlowStatistics();
        for (var id = 0; id < _atoms.Length; id++)
        {
            var record = _atoms[id];
            var name = setup[id].Name;
            if (record.Failure is { } failure)
            {
                failures[name] = failure;
            }
            else if (record.RevertFailure is { } revertFailure)
            {
                failures[name] = revertFailure;
            }

            var statistics = ImplicitFirstSuccess.StatisticsOf(record);
            totals = totals with
            {
                Executes = totals.Executes + statistics.Executes,
                Reverts = totals.Reverts + statistics.Reverts,
                Failures = totals.Failures + statistics.Failures,
                Retries = totals.Retries + statistics.Retries,
                ExecuteTime = totals.ExecuteTime + statistics.ExecuteTime,
                RevertTime = totals.RevertTime + statistics.RevertTime,
            };
            if (id < first || id >= end)
            {
                continue;
            }

            atoms.Add(new AtomSnapshot
            {
                Id = id,
                Name = name,
                TaskName = id < Header.TaskNames.Length ? Header.TaskNames[id] : "",
                State = record.State,
                Intention = record.Intention,
                Result = record.HasResult ? record.Result : null,
                Failure = record.Failure,
                RevertFailure = record.RevertFailure,
                StartedAt = record.StartedAt,
                FinishedAt = record.FinishedAt,
                RanOn = record.RanOn,
                Progress = record.Progress,
                ProgressDetails = record.ProgressDetails,
                Attempt = record.Attempt,
                Calls = record.Calls,
                IsRetry = IsRetry(id),
                RetryHistory = IsRetry(id) ? record.RetryHistory ?? Retries.RetryHistory.Empty : null,
                Arguments = ArgumentsOf(id),
                Requires = RequiresOf(setup[id]),
                Provides = setup[id].Provides.IsDefault ? [] : setup[id].Provides,
                Statistics = statistics,
                Attempts = ImplicitFirstSuccess.AttemptsOf(record),
            });
        }

        var built = atoms.MoveToImmutable();

        if ((Run.FlowFailure ?? Run.Cancellation ?? Run.EngineFailures.FirstOrDefault()) is { } flowFailure)
        {
            failures[Header.Definition.Name] = flowFailure;
        }

        return new FlowSnapshot
        {
            FlowId = RunId,
            FlowName = Header.Definition.Name,
            FactoryName = Header.FactoryName,
            State = Run.State,
            CreatedAt = Header.CreatedAt,
            FinishedAt = Run.FinishedAt,
            Atoms = built,
            Statistics = totals with
            {
                Duration = ((Run.FinishedAt ?? (Run.UpdatedAt == default ? Header.CreatedAt : Run.UpdatedAt)) - Header.CreatedAt) is { Ticks: > 0 } d ? d : TimeSpan.Zero,
            },
            Results = first == 0 && end == _atoms.Length ? Store.GetResults().Named : ResultsProvidedBy(built),
            AtomCount = _atoms.Length,
            FirstAtom = first,
            Failures = failures.ToImmutable(),
            Inputs = Header.Setup.Inputs,
            Tags = [.. Header.Tags],
            UpdatedAt = Run.UpdatedAt == default ? null : Run.UpdatedAt,
            Silo = Run.Silo,
            EventSequence = Run.EventSequence,
            Durability = Header.Durability,
        };
    }

    /// <summary>The named results a page's atoms provide (a whole run's results can be as many as its atoms).</summary>
    private ImmutableDictionary<string, object?> ResultsProvidedBy(ImmutableArray<AtomSnapshot> page)
    {
        var named = Store.GetResults().Named;
        var results = ImmutableDictionary.CreateBuilder<string, object?>(StringComparer.Ordinal);
        foreach (var atom in page)
        {
            foreach (var name in atom.Provides)
            {
                if (named.TryGetValue(name, out var value))
                {
                    results[name] = value;
                }
            }
        }

        return results.ToImmutable();
    }

    private bool IsRetry(int id) => id < Header.IsRetry.Length && Header.IsRetry[id];

    /// <summary>The arguments an atom is called with, prepared from what is stored as the engine prepares them when it
    /// dispatches; empty while one it needs is missing (never throws: a snapshot shows what there is).</summary>
    private ImmutableDictionary<string, object?> ArgumentsOf(int id)
    {
        var bindings = Header.Setup.Atoms[id].Arguments;
        if (!bindings.IsDefaultOrEmpty && bindings.Any(b => b.Kind == ArgumentSourceKind.Result && !Store.Results.ContainsKey(b.ProviderAtomId)))
        {
            return ImmutableDictionary<string, object?>.Empty; // a provider has not run yet (most atoms of a young run)
        }

        try
        {
            return Store.TryPrepareExecute(id, out var arguments, out _)
                ? arguments.ToImmutableDictionary(StringComparer.Ordinal)
                : ImmutableDictionary<string, object?>.Empty;
        }
        catch (Exception exception) when (exception is KeyNotFoundException or InvalidOperationException or ArgumentException or InvalidCastException)
        {
            return ImmutableDictionary<string, object?>.Empty;
        }
    }

    /// <summary>The stored names an atom reads: its arguments bound to inputs or results, after rebind.</summary>
    private static ImmutableArray<string> RequiresOf(AtomSetup atom) =>
        atom.Arguments.IsDefaultOrEmpty
            ? []
            : [.. atom.Arguments.Where(b => b.Kind is ArgumentSourceKind.Input or ArgumentSourceKind.Result).Select(b => b.Key).Distinct(StringComparer.Ordinal)];
}
