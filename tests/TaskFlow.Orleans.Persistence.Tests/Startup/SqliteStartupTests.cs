using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TaskFlow.Orleans.Persistence.AdoNet.Hosting;
using TaskFlow.Orleans.Persistence.Tests.Infrastructure;

namespace TaskFlow.Orleans.Persistence.Tests.Startup;

/// <summary>Bad input at silo start with SQLite: each gets a clear <see cref="AdoNet.TaskFlowDatabaseException"/>.</summary>
public sealed class SqliteStartupTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly Xunit.Abstractions.ITestOutputHelper _output = output;

    private readonly string _directory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "taskflow-tests", Guid.NewGuid().ToString("N"))).FullName;


    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Theory]
    [InlineData("")]
    [InlineData(":memory:")]
    [InlineData("Data Source=taskflow.db")]
    public void AddTaskFlowSqlite_BadPath_ThrowsAtOnceSayingWhatToGive(string path)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        var exception = Assert.Throws<OptionsValidationException>(() =>
            builder.UseOrleans(silo => silo.AddTaskFlowSqlite(o => o.DatabasePath = path)));

        Assert.Contains("TaskFlowSqliteOptions.DatabasePath", exception.Message);
    }

    [Fact]
    public async Task Start_DirectoryCannotBeCreated_FailsNamingThePath()
    {
        var (exception, _) = await StartupFailure.StartAsync(output: _output, configure: silo => silo.AddTaskFlowSqlite(o => o.DatabasePath = "/proc/taskflow/taskflow.db"));

        Assert.Contains("/proc/taskflow/taskflow.db", exception.Message);
        Assert.Contains("writable directory", exception.Message);
    }

    [Fact]
    public async Task Start_FileIsNotADatabase_FailsSayingSo()
    {
        var path = Path.Combine(_directory, "notes.txt");
        await File.WriteAllTextAsync(path, new string('x', 8192));

        var (exception, _) = await StartupFailure.StartAsync(output: _output, configure: silo => silo.AddTaskFlowSqlite(o => o.DatabasePath = path));

        Assert.Contains(path, exception.Message);
        Assert.Contains("not a SQLite database", exception.Message);
    }

    [Fact]
    public async Task Start_SchemaMissingWithoutApply_FailsNamingTheTableAndTheFix()
    {
        var path = Path.Combine(_directory, "empty.db");

        var (exception, _) = await StartupFailure.StartAsync(output: _output, configure: silo => silo.AddTaskFlowSqlite(o =>
        {
            o.DatabasePath = path;
            o.ApplySchemaOnStart = false;
        }));

        Assert.Contains("table 'taskflow_grain_state' is missing", exception.Message);
        Assert.Contains("table 'orleansquery' is missing", exception.Message);
        Assert.Contains("TaskFlowSchema.ApplySqliteAsync", exception.Message);
    }
}
