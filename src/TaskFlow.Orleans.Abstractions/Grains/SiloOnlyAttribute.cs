namespace TaskFlow.Orleans.Grains;

/// <summary>
/// Marks a grain interface, or one method of it, as internal to the cluster: silos call it (from grains, or from code
/// running inside a silo), external Orleans clients may not. Every silo that calls <c>AddTaskFlow</c> refuses such a
/// call from an external client with <see cref="InternalGrainAccessException"/>, before the grain runs it.
/// </summary>
/// <remarks>Clients use <c>ITaskFlowClient</c>, or the public operations of <see cref="IFlowGrain"/>,
/// <c>IRunIndexGrain</c> and <c>IClusterGrain</c>.</remarks>
[AttributeUsage(AttributeTargets.Interface | AttributeTargets.Method, Inherited = false)]
internal sealed class SiloOnlyAttribute : Attribute
{
}
