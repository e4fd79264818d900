namespace TaskFlow.Orleans;

/// <summary>Thrown to an external Orleans client that called a grain method only silos may call (one marked
/// <see cref="Grains.SiloOnlyAttribute"/>: the run's logbook, the executors, progress reports). The call was refused
/// before the grain ran it, so nothing changed.</summary>
[GenerateSerializer]
[Alias("taskflow.InternalGrainAccessException")]
public sealed class InternalGrainAccessException : TaskFlowException
{
    /// <summary>Creates the exception for a refused call.</summary>
    /// <param name="interfaceName">The grain interface called.</param>
    /// <param name="methodName">The method called.</param>
    public InternalGrainAccessException(string interfaceName, string methodName)
        : base($"{interfaceName}.{methodName} is internal to the TaskFlow cluster: only silos may call it, and this call " +
               "came from an Orleans client. Clients use ITaskFlowClient, or the public operations of IFlowGrain, " +
               "IRunIndexGrain and IClusterGrain (start, snapshot, events, suspend, resume, cancel, purge, list, graph, cluster view).")
    {
        InterfaceName = interfaceName;
        MethodName = methodName;
    }

    /// <summary>The grain interface called.</summary>
    [Id(0)] public string InterfaceName { get; }

    /// <summary>The method called.</summary>
    [Id(1)] public string MethodName { get; }
}
