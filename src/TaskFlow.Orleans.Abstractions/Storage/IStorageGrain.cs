namespace TaskFlow.Orleans.Storage;

/// <summary>
/// Storage of one flow run, keyed by flow id: atom names to stable ids, the flow's inputs, injected values,
/// results and failures, and argument preparation (rebind, optional arguments, scoping).
/// </summary>
/// <remarks>Only the flow's engine writes to it. Changes become durable at <see cref="FlushAsync"/>, which the
/// engine calls before it persists its own progress, so a persisted atom state never points at a lost result.</remarks>
[Alias("taskflow.IStorageGrain")]
public interface IStorageGrain : IGrainWithStringKey
{
    /// <summary>Records the flow's atoms and inputs and persists them.</summary>
    /// <param name="setup">Atoms, bindings and inputs.</param>
    /// <returns>A task that completes when the setup is durable.</returns>
    [Alias("initialize")]
    Task InitializeAsync(StorageSetup setup);

    /// <summary>Saves outcomes, then prepares the arguments of atoms about to execute or revert. One call per engine step.</summary>
    /// <param name="completions">Outcomes to save first, in order.</param>
    /// <param name="executeAtomIds">Atoms about to execute.</param>
    /// <param name="revertAtomIds">Atoms about to revert.</param>
    /// <returns>Their arguments.</returns>
    [Alias("save-and-prepare")]
    Task<PreparedCalls> SaveAndPrepareAsync(AtomCompletion[] completions, int[] executeAtomIds, int[] revertAtomIds);

    /// <summary>Persists whatever changed since the last flush.</summary>
    /// <returns>How many saves are durable, once the changes are. The count is stored with the results, so a new activation
    /// continues it; when the silo of an activation dies before it flushed, its saves are lost and the count is lower than
    /// the <see cref="PreparedCalls.SaveCount"/> the engine last got. The engine then resumes from its durable progress
    /// instead of persisting progress that refers to lost results.</returns>
    [Alias("flush")]
    Task<long> FlushAsync();

    /// <summary>Reads every stored result and failure.</summary>
    /// <returns>The results.</returns>
    [Alias("get-results")]
    Task<StoredResults> GetResultsAsync();
}
