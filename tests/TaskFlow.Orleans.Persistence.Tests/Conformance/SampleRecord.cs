namespace TaskFlow.Orleans.Persistence.Tests.Conformance;

/// <summary>A user type returned by a task, stored as an object-typed result.</summary>
[GenerateSerializer]
[Alias("taskflow.tests.SampleRecord")]
public sealed record SampleRecord([property: Id(0)] string Name, [property: Id(1)] int Count, [property: Id(2)] DateTimeOffset At);
