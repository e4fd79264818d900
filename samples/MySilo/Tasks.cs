using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Definitions;

namespace MySilo;

/// <summary>Makes a greeting; nothing to undo.</summary>
[TaskName("my.greet")]
public sealed class Greet : FlowTask
{
    /// <summary>The greeting for <paramref name="name"/>.</summary>
    public string Execute(string name) => $"Hello, {name}!";
}

/// <summary>Sends the greeting; revert takes it back if a later step fails.</summary>
[TaskName("my.send-card")]
public sealed class SendCard : FlowTask
{
    /// <summary>Sends the card and returns its number.</summary>
    public Task<string> ExecuteAsync(string greeting, CancellationToken cancellationToken) =>
        Task.FromResult($"card-{Context.ExecutionId}: {greeting}");

    /// <summary>Withdraws a card that was sent.</summary>
    public Task RevertAsync(TaskOutcome<string> outcome, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>The flow clients start by name: greet, then send the card.</summary>
public static class GreetFlow
{
    /// <summary>Builds the flow; it requires the input <c>name</c>.</summary>
    public static FlowDefinition Build() => Flow.Linear("greet")
        .Add<Greet>("make-greeting", provides: "greeting")
        .Add<SendCard>("send-card", provides: "card")
        .Build();
}
