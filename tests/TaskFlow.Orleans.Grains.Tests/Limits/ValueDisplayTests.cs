using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Grains.Listeners;
using TaskFlow.Orleans.Grains.Options;
using TaskFlow.Orleans.Snapshots;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Grains.Tests.Limits;

public sealed class ValueDisplayTests
{
    [Fact]
    public void Shorten_ValueUpToTheLimit_IsShownWhole()
    {
        var value = new string('a', ValueDisplay.MaxValueChars);

        Assert.Equal(value, ValueDisplay.Shorten(value));
        Assert.Equal("42", ValueDisplay.Shorten((object)42));
        Assert.Equal("", ValueDisplay.Shorten((object?)null));
    }

    [Fact]
    public void Shorten_LongerValue_IsCutWithItsLength()
    {
        var shown = ValueDisplay.Shorten(new string('b', 50_000_000));

        Assert.Equal(new string('b', ValueDisplay.MaxValueChars) + "…(50,000,000 chars)", shown);
    }

    [Fact]
    public void Shorten_CutInsideASurrogatePair_KeepsWholeCharacters()
    {
        var value = new string('c', ValueDisplay.MaxValueChars - 1) + "😀" + new string('d', 10);

        var shown = ValueDisplay.Shorten(value)!;

        Assert.StartsWith(new string('c', ValueDisplay.MaxValueChars - 1) + "…(", shown);
    }

    [Fact]
    public void LoggingFlowListener_LargeInputAndResult_LogsAtMostAFewHundredCharactersOfEach()
    {
        var logger = new LinesLogger();
        var listener = new LoggingFlowListener(logger, Microsoft.Extensions.Options.Options.Create(new TaskFlowOptions()));
        var huge = new string('x', 5_000_000);

        listener.OnFlowStarted(new FlowStartedContext("f1", "upload", ImmutableDictionary<string, object?>.Empty.Add("blob", huge).Add("name", "n")));
        listener.OnChange(new FlowChangeContext("f1", "upload", new FlowEvent
        {
            Sequence = 1,
            Timestamp = DateTimeOffset.UnixEpoch,
            Name = "store",
            AtomState = AtomState.Success,
            Result = huge,
        }, ["stored"], TimeSpan.FromMilliseconds(3)));

        Assert.Equal(2, logger.Lines.Count);
        Assert.All(logger.Lines, line => Assert.True(line.Length < 1000, $"A log line is {line.Length:N0} characters long."));
        Assert.Contains("blob=" + new string('x', ValueDisplay.MaxValueChars) + "…(5,000,000 chars)", logger.Lines[0]);
        Assert.Contains("name=n", logger.Lines[0]);
        Assert.EndsWith("…(5,000,000 chars)", logger.Lines[1]);
    }

    private sealed class LinesLogger : ILogger<LoggingFlowListener>
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}
