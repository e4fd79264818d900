namespace TaskFlow.Orleans.Storage;

/// <summary>Where one argument of an atom comes from, decided when the flow is compiled.</summary>
[GenerateSerializer]
[Alias("taskflow.ArgumentSourceKind")]
internal enum ArgumentSourceKind : byte
{
    /// <summary>A value injected for this atom only.</summary>
    Injected = 0,
    /// <summary>One of the flow's inputs.</summary>
    Input = 1,
    /// <summary>The result (or one part of it) of a visible atom.</summary>
    Result = 2,
    /// <summary>Optional and not available: the parameter's default applies, so nothing is passed.</summary>
    Default = 3,
}
