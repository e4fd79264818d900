namespace TaskFlow.Orleans.Storage;

/// <summary>How storage finds the value of one argument of one atom.</summary>
/// <param name="Argument">The parameter name the task receives.</param>
/// <param name="Kind">Where the value comes from.</param>
/// <param name="Key">The stored name looked up (after rebind): the input or inject key, or the provided symbol.</param>
/// <param name="ProviderAtomId">For <see cref="ArgumentSourceKind.Result"/>, the id of the atom whose result is used.</param>
/// <param name="ProvidesIndex">For <see cref="ArgumentSourceKind.Result"/>, the position of <paramref name="Key"/> in the
/// provider's provides, or -1 when the provider stores its whole result under that one name.</param>
[GenerateSerializer, Immutable]
[Alias("taskflow.ArgumentBinding")]
internal sealed record ArgumentBinding(
    [property: Id(0)] string Argument,
    [property: Id(1)] ArgumentSourceKind Kind,
    [property: Id(2)] string Key,
    [property: Id(3)] int ProviderAtomId = -1,
    [property: Id(4)] int ProvidesIndex = -1);
