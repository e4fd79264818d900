namespace TaskFlow.Orleans.Definitions;

/// <summary>When a run's changes become durable relative to what they cause.</summary>
[GenerateSerializer]
[Alias("taskflow.Durability")]
public enum Durability : byte
{
    /// <summary>TaskFlow's save order (the default): an atom's RUNNING is durable before its task is dispatched, and its
    /// outcome before anything that depends on it is dispatched and before anyone is told. After a crash only atoms that
    /// were RUNNING (or REVERTING) run again, with the same execution id.</summary>
    Strict = 0,

    /// <summary>Opt-in: the engine dispatches as soon as storage has applied a change, and writes follow (one write in
    /// flight per run, the rest folded into the next). After a crash, atoms dispatched or finished in the last unwritten
    /// window run again as well; the flow's outcome is still reported only once durable.</summary>
    Relaxed = 1,
}
