using TaskFlow.Orleans.Retries;

namespace TaskFlow.Orleans.Authoring;

/// <summary>
/// A retry controller's code (TaskFlow's <c>retry.Retry</c>): what it provides to its subflow on each attempt, what it
/// decides when an atom it controls fails, and how it is undone. Built-ins are pure; user-defined controllers are registered
/// on the silos by name and referenced with <c>Retry.Custom(name)</c>.
/// </summary>
/// <remarks>
/// <para>Retries run in the engine's process, never on executors (TaskFlow's <c>SerialRetryExecutor</c>).
/// <see cref="OnFailure"/> is called by the engine itself, synchronously, while it resolves a failure;
/// <see cref="Execute"/> and <see cref="Revert"/> are called by the engine's shell when a step asks for them (they need
/// arguments from storage). Implementations should keep no state of their own: everything a decision may depend on is in
/// the history, which the engine persists and restores. An exception thrown by <see cref="Execute"/> or
/// <see cref="Revert"/> is the retry's failure; one thrown by <see cref="OnFailure"/> ends the flow in FAILURE.</para>
/// </remarks>
public interface IRetryController
{
    /// <summary>Runs the retry before an attempt of its subflow and returns the value it provides to the subflow's atoms.</summary>
    /// <param name="history">The attempts so far (empty on the first).</param>
    /// <param name="arguments">The retry's arguments, resolved from storage.</param>
    /// <returns>The value provided for this attempt (stored under the retry's provides and appended to its history).</returns>
    object? Execute(RetryHistory history, IReadOnlyDictionary<string, object?> arguments);

    /// <summary>Decides how to resolve the failure of an atom this retry controls; the failure is already in the latest attempt.</summary>
    /// <param name="history">The attempts so far, the latest with the failure.</param>
    /// <param name="arguments">The arguments the retry last executed with.</param>
    /// <returns>RETRY, REVERT or REVERT_ALL.</returns>
    RetryDecision OnFailure(RetryHistory history, IReadOnlyDictionary<string, object?> arguments);

    /// <summary>Undoes the retry when its subflow is reverted without being retried. Does nothing unless overridden.</summary>
    /// <param name="history">The attempts so far.</param>
    /// <param name="arguments">The retry's arguments plus, under the key <c>"flow_failures"</c> (TaskFlow's <c>flow_failures</c>), every execute failure of the flow as an <c>IReadOnlyDictionary&lt;string, Failure&gt;</c> by atom name.</param>
    void Revert(RetryHistory history, IReadOnlyDictionary<string, object?> arguments)
    {
    }
}
