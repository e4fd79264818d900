namespace TaskFlow.Orleans.Core.Storage;

// Placeholder replaced by the tasks branch merge.
internal static class ProvidedValue
{
    public static object? Extract(object? result, string name, int index, int count) => count <= 1 || index < 0 ? result : throw new NotImplementedException();
}
