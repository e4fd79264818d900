using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Storage;

namespace TaskFlow.Orleans.Logbook;

/// <summary>What a run is, written once when it is created: its definition, inputs and the bindings storage prepares
/// arguments from (TaskFlow's flow detail meta and the engine's <c>store</c>).</summary>
[GenerateSerializer]
[Alias("taskflow.RunHeader")]
internal sealed class RunHeader
{
    /// <summary>The logbook format this silo writes.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>The logbook format the run was written in; a silo refuses a format newer than it knows.</summary>
    [Id(0)] public int FormatVersion { get; set; } = CurrentFormatVersion;

    /// <summary>The flow definition the run was started with (runs keep their definition, not their factory).</summary>
    [Id(1)] public required FlowDefinition Definition { get; set; }

    /// <summary>The flow factory the run was started from, if any.</summary>
    [Id(2)] public string? FactoryName { get; set; }

    /// <summary>The names of the run's inputs (the definition is compiled against them).</summary>
    [Id(3)] public string[] InputNames { get; set; } = [];

    /// <summary>Inputs, atoms (names, provides, injected values) and argument bindings.</summary>
    [Id(4)] public required StorageSetup Setup { get; set; }

    /// <summary>When the run was created.</summary>
    [Id(5)] public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The task name of each atom, by atom id (empty for retry controllers).</summary>
    [Id(6)] public string[] TaskNames { get; set; } = [];

    /// <summary>Which atoms are retry controllers, by atom id.</summary>
    [Id(7)] public bool[] IsRetry { get; set; } = [];

    /// <summary>The run's durability, kept so that a run resumed elsewhere keeps it.</summary>
    [Id(8)] public Definitions.Durability Durability { get; set; }

    /// <summary>The run's tags (the run index is filtered by them).</summary>
    [Id(9)] public string[] Tags { get; set; } = [];

    /// <summary>A copy with another <see cref="Setup"/> (e.g. its masked inputs sealed for storage).</summary>
    /// <param name="setup">The setup.</param>
    /// <returns>The copy.</returns>
    public RunHeader WithSetup(StorageSetup setup)
    {
        var copy = (RunHeader)MemberwiseClone();
        copy.Setup = setup;
        return copy;
    }
}
