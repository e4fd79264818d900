using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Grains.Listeners;
using TaskFlow.Orleans.Grains.Options;
using TaskFlow.Orleans.Snapshots;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Grains.Tests.Listeners;

public sealed class LoggingFlowListenerTests
{
    private readonly CapturingLogger _logger = new();

    private LoggingFlowListener Listener(params string[] masked)
    {
        var options = new TaskFlowOptions();
        foreach (var key in masked)
        {
            options.MaskedKeys.Add(key);
        }

        return new LoggingFlowListener(_logger, Microsoft.Extensions.Options.Options.Create(options));
    }

    [Fact]
    public void OnFlowStarted_MaskedInput_LogsStarsInsteadOfTheValue()
    {
        Listener("password").OnFlowStarted(new FlowStartedContext("f1", "deploy",
            ImmutableDictionary<string, object?>.Empty.Add("password", "hunter2").Add("host", "db-1")));

        var line = Assert.Single(_logger.Lines);
        Assert.Contains("host=db-1", line);
        Assert.Contains("password=***", line);
        Assert.DoesNotContain("hunter2", line);
    }

    [Fact]
    public void OnChange_SuccessOfAtomProvidingAMaskedKey_MasksTheResultAndLogsTheDuration()
    {
        var listener = Listener("token");
        listener.OnChange(Change("login", AtomState.Success, result: "s3cr3t", provides: ["token"], duration: TimeSpan.FromMilliseconds(42)));
        listener.OnChange(Change("fetch", AtomState.Success, result: 7, provides: ["count"], duration: TimeSpan.FromMilliseconds(5)));

        Assert.Equal(2, _logger.Lines.Count);
        Assert.Contains("login SUCCESS after 42 ms: ***", _logger.Lines[0]);
        Assert.DoesNotContain("s3cr3t", _logger.Lines[0]);
        Assert.Contains("fetch SUCCESS after 5 ms: 7", _logger.Lines[1]);
    }

    [Fact]
    public void OnChange_FailureAndFlowOutcome_LogAtWarningAndInformation()
    {
        var listener = Listener();
        listener.OnChange(Change("boot", AtomState.Failure, failure: Failure.Create("System.InvalidOperationException", "no image")));
        listener.OnChange(new FlowChangeContext("f1", "deploy",
            new FlowEvent { Sequence = 2, Timestamp = DateTimeOffset.UnixEpoch, Name = "deploy", FlowState = FlowState.Reverted }, [], null));

        Assert.Equal([LogLevel.Warning, LogLevel.Information], _logger.Levels);
        Assert.Contains("no image", _logger.Lines[0]);
        Assert.Contains("is REVERTED", _logger.Lines[1]);
    }

    private static FlowChangeContext Change(string atom, AtomState state, object? result = null, Failure? failure = null,
        string[]? provides = null, TimeSpan? duration = null) =>
        new("f1", "deploy", new FlowEvent
        {
            Sequence = 1,
            Timestamp = DateTimeOffset.UnixEpoch,
            Name = atom,
            AtomState = state,
            Result = result,
            Failure = failure,
        }, provides ?? [], duration);

    private sealed class CapturingLogger : ILogger<LoggingFlowListener>
    {
        public List<string> Lines { get; } = [];

        public List<LogLevel> Levels { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Levels.Add(logLevel);
            Lines.Add(formatter(state, exception));
        }
    }
}
