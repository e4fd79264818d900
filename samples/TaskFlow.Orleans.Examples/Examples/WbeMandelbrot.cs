using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Grains.Hosting;

namespace TaskFlow.Orleans.Examples.WbeMandelbrot;

// taskflow/examples/wbe_mandelbrot.py: a fractal computed in 8 chunks by remote workers (TaskFlow's worker-based engine
// sends each task over a message transport to a worker process). Here every silo of the cluster is a worker: tasks are
// dispatched to executors on any silo, and MaxConcurrency = 2 stands for the original's 2 workers. There is nothing to
// start or stop: the "workers" lines are kept so the output reads as the original's.

/// <summary>Computes one chunk of rows of the Mandelbrot set.</summary>
public sealed class MandelCalculator : FlowTask
{
    public int[][] Execute(IReadOnlyDictionary<string, object?> image_config, double[] mandelbrot_config, int[] chunk)
    {
        static int Mandelbrot(double x, double y, int maxIters)
        {
            var (zr, zi) = (0.0, 0.0);
            for (var i = 0; i < maxIters; i++)
            {
                (zr, zi) = ((zr * zr) - (zi * zi) + x, (2 * zr * zi) + y);
                if ((zr * zr) + (zi * zi) >= 4)
                {
                    return i;
                }
            }

            return maxIters;
        }

        var (minX, maxX, minY, maxY, maxIters) = (mandelbrot_config[0], mandelbrot_config[1], mandelbrot_config[2], mandelbrot_config[3], (int)mandelbrot_config[4]);
        var size = (int[])image_config["size"]!;
        var (height, width) = (size[0], size[1]);
        var (pixelX, pixelY) = ((maxX - minX) / width, (maxY - minY) / height);
        var block = new List<int[]>();
        for (var y = chunk[0]; y < chunk[1]; y++)
        {
            var imag = minY + (y * pixelY);
            block.Add([.. Enumerable.Range(0, width).Select(x => Mandelbrot(minX + (x * pixelX), imag, maxIters))]);
        }

        return [.. block];
    }
}

/// <summary>The example.</summary>
public sealed class Example : IExample
{
    private const int Workers = 2;
    private const int ChunkCount = 8;
    private const int MaxIterations = 25;
    private static readonly int[] ImageSize = [512, 512];

    public string Name => "wbe_mandelbrot";

    public void Register(TaskFlowBuilder taskFlow) => taskFlow.AddTask<MandelCalculator>();

    private static async Task<List<((int X, int Y) Point, int Color)>> CalculateAsync(ExampleHost host)
    {
        var flow = Flow.Unordered("mandelbrot");
        var store = new FlowInputs
        {
            ["mandelbrot_config"] = new[] { -2.0, 1.0, -1.0, 1.0, MaxIterations },
            ["image_config"] = new Dictionary<string, object?> { ["size"] = ImageSize },
        };
        var taskNames = new List<string>();
        var chunkSize = (int)Math.Ceiling(ImageSize[0] / (double)ChunkCount);
        for (var i = 0; i < ChunkCount; i++)
        {
            var (chunkName, taskName) = ($"chunk_{i}", $"calculation_{i}");
            flow.Add<MandelCalculator>(taskName, provides: taskName, rebind: ("chunk", chunkName));
            store[chunkName] = new[] { i * chunkSize, (i * chunkSize) + chunkSize };
            taskNames.Add(taskName);
        }

        var result = await host.Client.RunAsync(flow.Build(new FlowEngineOptions { MaxConcurrency = Workers }), store);
        var gather = taskNames.SelectMany(name => (int[][])result.Results[name]!).ToList();
        return [.. gather.SelectMany((row, y) => row.Select((color, x) => ((x, y), color)))];
    }

    public async Task RunAsync(ExampleHost host)
    {
        var console = host.Console;
        console.WriteLine($"Calculating your mandelbrot fractal of size {ImageSize[0]}x{ImageSize[1]}.");
        console.WriteLine($"Running {Workers} workers.");
        var results = await CalculateAsync(host);
        console.WriteLine("Execution finished.");
        console.WriteLine("Stopping workers.");
        console.WriteLine("Writing image...");
        console.WriteLine($"Gathered {results.Count} results that represents a mandelbrot image (using {ChunkCount} chunks that are computed jointly by {Workers} workers).");
    }
}
