namespace TaskFlow.Orleans.Client;

/// <summary>The inputs of a flow run (TaskFlow's <c>store</c>): names to values. Values must be serializable by Orleans.</summary>
/// <example><c>new FlowInputs { ["network"] = "tenant-a", ["golden-image"] = "ubuntu-24.04" }</c></example>
public sealed class FlowInputs : Dictionary<string, object?>
{
    /// <summary>Creates empty inputs.</summary>
    public FlowInputs() : base(StringComparer.Ordinal)
    {
    }

    /// <summary>Creates inputs from name/value pairs.</summary>
    /// <param name="values">The values.</param>
    public FlowInputs(IEnumerable<KeyValuePair<string, object?>> values) : base(values, StringComparer.Ordinal)
    {
    }
}
