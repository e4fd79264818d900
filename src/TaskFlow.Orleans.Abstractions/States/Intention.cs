namespace TaskFlow.Orleans.States;

/// <summary>What the engine means to do next with an atom, as in TaskFlow.</summary>
[GenerateSerializer]
[Alias("taskflow.Intention")]
public enum Intention : byte
{
    /// <summary>Run the atom's execute when it becomes ready.</summary>
    Execute = 0,
    /// <summary>Skip the atom.</summary>
    Ignore = 1,
    /// <summary>Run the atom's revert when its successors are reverted.</summary>
    Revert = 2,
    /// <summary>A retry controller: revert its subflow and run it again.</summary>
    Retry = 3,
}
