namespace TaskFlow.Orleans.Logbook;

/// <summary>Names shared by the silo's TaskFlow options and the storage providers that register storage for them.</summary>
public static class TaskFlowStorage
{
    /// <summary>The name of TaskFlow's grain storage provider unless configured otherwise: <c>"taskflow"</c>.</summary>
    public const string DefaultProviderName = "taskflow";
}
