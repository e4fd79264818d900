namespace TaskFlow.Orleans.Authoring;

/// <summary>
/// The base of user tasks. A task declares one public <c>ExecuteAsync</c> (or <c>Execute</c>) method whose
/// parameter names are its requirements, and optionally a <c>RevertAsync</c> (or <c>Revert</c>) that undoes it.
/// </summary>
/// <remarks>
/// <para>Execute's parameters become required arguments; parameters with default values are optional
/// (bound when the name is visible, else the default applies). A <see cref="CancellationToken"/> parameter
/// receives the execution's token.</para>
/// <para>Revert takes the same named arguments plus, recognised by type, a <see cref="TaskOutcome{T}"/>
/// (what Execute returned, or its <see cref="Failures.Failure"/>) and an
/// <c>IReadOnlyDictionary&lt;string, Failure&gt;</c> holding every failure of the flow by atom name, as TaskFlow's
/// <c>result</c> and <c>flow_failures</c>.</para>
/// <para><b>Execution is at least once.</b> After a silo crash an atom that may have been running is dispatched
/// again with the same <see cref="TaskContext.ExecutionId"/>; make Execute and Revert idempotent, keyed by it.</para>
/// <para>A new instance is created through dependency injection for every Execute and Revert, so constructor
/// parameters are resolved from the silo's services and instance fields do not survive between calls.</para>
/// </remarks>
public abstract class FlowTask
{
    /// <summary>The context of the current Execute or Revert call.</summary>
    public TaskContext Context { get; internal set; } = TaskContext.Empty;
}
