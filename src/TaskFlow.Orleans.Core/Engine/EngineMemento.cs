using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Retries;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Core.Engine;

/// <summary>The engine's progress as plain data, to persist and to restore after the flow's silo is lost.</summary>
/// <remarks>
/// Everything a restored engine needs to carry on exactly where it stopped: states and intentions (TaskFlow keeps both in its
/// atom details), retry histories and the arguments each retry last ran with (so a later failure can be resolved without
/// storage), the results deciders read, the failures of atoms still in FAILURE (so resuming re-resolves them, as TaskFlow's
/// completer does), and the flags of a revert-all, a halt and a cancel. Optional members may be <see langword="null"/> in
/// progress written before they existed.
/// </remarks>
internal sealed class EngineMemento
{
    /// <summary>The flow's state.</summary>
    public required FlowState FlowState { get; init; }

    /// <summary>The state of every node of the execution graph (atoms, then pattern markers; markers are recomputed on restore).</summary>
    public required AtomState[] NodeStates { get; init; }

    /// <summary>The intention for every node.</summary>
    public required Intention[] Intentions { get; init; }

    /// <summary>How many times each atom has been dispatched for execution (its attempt number).</summary>
    public required int[] Attempts { get; init; }

    /// <summary>Whether TaskFlow's RevertAll was applied: every atom reverts and no retry can take it back.</summary>
    public bool Reverting { get; init; }

    /// <summary>Whether a failure could not be resolved (a revert failed, or a decider or retry controller threw): nothing more is scheduled and the flow ends FAILURE.</summary>
    public bool RevertFailed { get; init; }

    /// <summary>The history of each retry, by atom id.</summary>
    public IReadOnlyDictionary<int, RetryHistory>? RetryHistories { get; init; }

    /// <summary>The arguments each retry last executed with, by atom id (what <c>OnFailure</c> is given).</summary>
    public IReadOnlyDictionary<int, IReadOnlyDictionary<string, object?>>? RetryArguments { get; init; }

    /// <summary>The execute failure of each atom currently in FAILURE, by atom id.</summary>
    public IReadOnlyDictionary<int, Failure>? Failures { get; init; }

    /// <summary>The results of atoms that link deciders read, by atom id.</summary>
    public IReadOnlyDictionary<int, object?>? DeciderResults { get; init; }

    /// <summary>Failures of user code the engine called (deciders, retry decisions) that halted the flow.</summary>
    public IReadOnlyList<Failure>? EngineFailures { get; init; }

    /// <summary>Why the flow was cancelled, if it was.</summary>
    public Failure? Cancellation { get; init; }

    /// <summary>Whether the flow was cancelled while suspending, so it resumes into reverting once suspended.</summary>
    public bool ResumeAfterSuspend { get; init; }
}
