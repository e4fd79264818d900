using System.Text;
using Xunit.Abstractions;

namespace TaskFlow.Orleans.EndToEnd.Tests.Infrastructure;

/// <summary>One <see cref="SingleSilo"/> started once and shared by a test class (<c>IClassFixture</c>), for tests that only
/// read from it or use runs of their own: a silo process costs seconds to start.</summary>
public sealed class SharedSilo : IAsyncLifetime
{
    private readonly BufferedOutput _output = new();

    public SharedSilo() => Silo = new SingleSilo(_output, "cli-shared");

    public SingleSilo Silo { get; }

    public Task InitializeAsync() => Silo.StartAsync();

    public Task DisposeAsync()
    {
        Silo.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Keeps what the shared silo says (no test is current while the fixture starts and stops it).</summary>
    private sealed class BufferedOutput : ITestOutputHelper
    {
        private readonly StringBuilder _text = new();

        public void WriteLine(string message)
        {
            lock (_text)
            {
                _text.AppendLine(message);
            }
        }

        public void WriteLine(string format, params object[] args) => WriteLine(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
    }
}
