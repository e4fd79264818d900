namespace TaskFlow.Orleans.OpenTelemetry;

/// <summary>What <c>AddTaskFlowInstrumentation</c> adds to a tracer provider.</summary>
public sealed class TaskFlowInstrumentationOptions
{
    /// <summary>Whether Orleans' application grain-call spans (source <c>Microsoft.Orleans.Application</c>) are recorded too.</summary>
    /// <remarks>Orleans carries a trace's context across a grain call only while it records that call's span, so with this off
    /// a client's span is no longer the parent of the run it starts (the engine still parents execute and revert spans on
    /// the run span by itself). Turn it off only to trade that link for fewer spans. Silos and clients also need
    /// <c>AddActivityPropagation()</c> on their Orleans builders for the context to travel.</remarks>
    /// <value>Default <see langword="true"/>.</value>
    public bool IncludeGrainCalls { get; set; } = true;
}
