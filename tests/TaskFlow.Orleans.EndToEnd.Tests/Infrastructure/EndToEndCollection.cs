namespace TaskFlow.Orleans.EndToEnd.Tests.Infrastructure;

/// <summary>End-to-end tests run one at a time: each runs 3 silo processes, too many to share 2 cores with another.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndCollection
{
    public const string Name = "end-to-end";
}
