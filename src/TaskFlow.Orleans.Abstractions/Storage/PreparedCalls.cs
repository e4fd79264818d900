using System.Collections.Immutable;
using TaskFlow.Orleans.Failures;

namespace TaskFlow.Orleans.Storage;

/// <summary>Arguments storage prepared for the atoms the engine is about to dispatch.</summary>
[GenerateSerializer, Immutable]
[Alias("taskflow.PreparedCalls")]
internal sealed record PreparedCalls
{
    /// <summary>An empty answer.</summary>
    public static PreparedCalls Empty { get; } = new();

    /// <summary>Arguments of each atom to execute, in the order asked.</summary>
    [Id(0)] public ImmutableArray<Dictionary<string, object?>> Executes { get; init; } = [];

    /// <summary>Arguments and execute outcome of each atom to revert, in the order asked.</summary>
    [Id(1)] public ImmutableArray<PreparedRevert> Reverts { get; init; } = [];

    /// <summary>Atoms (in the order asked for execution) whose required arguments could not be found, with why.</summary>
    [Id(2)] public ImmutableDictionary<int, Failure> Unresolved { get; init; } = ImmutableDictionary<int, Failure>.Empty;

}

/// <summary>What a Revert needs: its arguments, the execute result or failure, and all the flow's failures.</summary>
[GenerateSerializer, Immutable]
[Alias("taskflow.PreparedRevert")]
internal sealed record PreparedRevert
{
    /// <summary>The same arguments Execute had.</summary>
    [Id(0)] public required Dictionary<string, object?> Arguments { get; init; }

    /// <summary>The execute result when Execute succeeded.</summary>
    [Id(1)] public object? Result { get; init; }

    /// <summary>The execute failure when Execute failed.</summary>
    [Id(2)] public Failure? ExecuteFailure { get; init; }

    /// <summary>Every failure of the flow by atom name.</summary>
    [Id(3)] public required Dictionary<string, Failure> FlowFailures { get; init; }

    /// <summary>Whether Execute never ran because its required arguments could not be found (a result lacked a provided
    /// name), so there is nothing to undo and Revert is not called.</summary>
    [Id(4)] public bool NothingToRevert { get; init; }
}
