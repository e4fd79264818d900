namespace TaskFlow.Orleans.Client.Graphs;

/// <summary>A rectangle in drawing coordinates (y grows downwards).</summary>
internal readonly record struct Box(double X, double Y, double Width, double Height)
{
    public double Right => X + Width;

    public double Bottom => Y + Height;

    public double CentreX => X + Width / 2;
}

/// <summary>A point in drawing coordinates.</summary>
internal readonly record struct Point(double X, double Y);

/// <summary>
/// Places a <see cref="GraphModel"/> for drawing, top to bottom, as a compound layered (Sugiyama-style) layout: each cluster is
/// laid out on its own with its atoms and nested clusters as items, and then is one item of its parent.
/// </summary>
/// <remarks>
/// <para>Within a cluster: an edge between two atoms becomes an edge between the cluster's items that hold them (in the
/// innermost cluster holding both); items get layers by longest path from the items nothing leads to, so every item is below
/// all its predecessors; an edge spanning several layers gets a dummy item on each layer between, so it is routed around the
/// items there, and so does an edge leaving the cluster (on each layer below the item it leaves from, down to the cluster's
/// bottom) or entering it (from the top, on each layer above the item it enters); items are ordered in their layer by barycentre sweeps (down and up, keeping the order with fewest crossings);
/// layers are stacked and centred. A cluster is drawn as a box around its items with room for its label, so clusters nest
/// and siblings never overlap.</para>
/// <para>Sizes are estimated from text length (no font metrics): wide enough for the names shown, which are shortened to
/// <see cref="MaxChars"/> characters.</para>
/// </remarks>
internal sealed partial class LayeredLayout
{
    public const int MaxChars = 34;
    public const double NodeHeight = 46;
    private const double NameCharWidth = 7.7;
    private const double TaskCharWidth = 6.3;
    private const double LabelCharWidth = 7.2;
    private const double MinNodeWidth = 120;
    private const double ItemGap = 28;
    private const double DummyWidth = 12;
    private const double LayerGap = 44;
    private const double PadX = 16;
    private const double PadTop = 34;
    private const double PadBottom = 16;
    private const double Margin = 16;
    private const int Sweeps = 8;

    private readonly GraphModel _model;
    private readonly int _nodeCount;
    private readonly int _top;

    // Per item (nodes first, then clusters; the top container is not an item): size, and position in its container's content.
    private readonly double[] _width;
    private readonly double[] _height;
    private readonly double[] _x;
    private readonly double[] _y;

    // Per container (clusters, then the top): where its content starts within its box, and its items' local edges.
    private readonly double[] _contentX;
    private readonly double[] _contentY;
    private readonly List<int>[] _children;
    private readonly List<LocalEdge>[] _localEdges;

    // Per container: the chains by which edges leave it from an item (down to its bottom) or enter it into an item (from its top).
    private readonly Dictionary<int, Chain>[] _exits;
    private readonly Dictionary<int, Chain>[] _entries;

    // Per model edge: the container it is routed in and its local edge there, and the containers it leaves and enters on the way.
    private readonly EdgeRoute[] _edgeRoute;

    /// <summary>Lays out the model.</summary>
    public LayeredLayout(GraphModel model)
    {
        _model = model;
        _nodeCount = model.Nodes.Length;
        _top = model.Clusters.Length;
        var items = _nodeCount + model.Clusters.Length;
        (_width, _height, _x, _y) = (new double[items], new double[items], new double[items], new double[items]);
        _contentX = new double[_top + 1];
        _contentY = new double[_top + 1];
        _children = new List<int>[_top + 1];
        _localEdges = new List<LocalEdge>[_top + 1];
        _exits = new Dictionary<int, Chain>[_top + 1];
        _entries = new Dictionary<int, Chain>[_top + 1];
        for (var c = 0; c <= _top; c++)
        {
            _children[c] = [];
            _localEdges[c] = [];
            _exits[c] = [];
            _entries[c] = [];
        }

        _edgeRoute = new EdgeRoute[model.Edges.Count];
        CollectChildren();
        CollectLocalEdges();

        // Innermost clusters first: a cluster's size is known before its parent lays it out as an item.
        for (var n = 0; n < _nodeCount; n++)
        {
            _width[n] = NodeWidth(n);
            _height[n] = NodeHeight;
        }

        foreach (var cluster in Enumerable.Range(0, _top).OrderByDescending(c => model.ClusterDepth[c]))
        {
            var (width, height) = LayOut(cluster);
            _width[_nodeCount + cluster] = width;
            _height[_nodeCount + cluster] = height;
        }

        (Width, Height) = LayOut(_top);
        NodeBoxes = [.. Enumerable.Range(0, _nodeCount).Select(n => ItemBox(n))];
        ClusterBoxes = [.. Enumerable.Range(0, _top).Select(c => ItemBox(_nodeCount + c))];
        EdgePoints = [.. Enumerable.Range(0, model.Edges.Count).Select(Route)];
    }

    /// <summary>The drawing's width, margins included.</summary>
    public double Width { get; }

    /// <summary>The drawing's height, margins included.</summary>
    public double Height { get; }

    /// <summary>Where each node is drawn, by node index.</summary>
    public IReadOnlyList<Box> NodeBoxes { get; }

    /// <summary>Where each cluster's box is drawn, by cluster index.</summary>
    public IReadOnlyList<Box> ClusterBoxes { get; }

    /// <summary>The points each edge passes through, by edge index: from the bottom of its source to the top of its target.</summary>
    public IReadOnlyList<IReadOnlyList<Point>> EdgePoints { get; }

    /// <summary>A name or label as drawn: at most <see cref="MaxChars"/> characters.</summary>
    public static string Shorten(string text) => text.Length <= MaxChars ? text : string.Concat(text.AsSpan(0, MaxChars - 1), "…");

    /// <summary>A cluster's label: its name and kind.</summary>
    public static string ClusterLabel(Orleans.Graphs.GraphCluster cluster) =>
        $"{Shorten(GraphModel.Clean(cluster.Name))} ({GraphModel.KindName(cluster)})";

    private double NodeWidth(int node)
    {
        var graphNode = _model.Nodes[node];
        var name = Shorten(GraphModel.Clean(graphNode.Name)).Length * NameCharWidth;
        var task = Shorten(GraphModel.Clean(graphNode.TaskName)).Length * TaskCharWidth;
        return Math.Max(MinNodeWidth, Math.Ceiling(Math.Max(name, task) + 2 * PadX));
    }

    private int ContainerOfNode(int node) => _model.NodeCluster[node] is >= 0 and var c ? c : _top;

    private int ContainerOfCluster(int cluster) => _model.ClusterParent[cluster] is >= 0 and var p ? p : _top;

    /// <summary>Every container's items in definition order: by the first atom they hold (empty clusters last).</summary>
    private void CollectChildren()
    {
        var first = new int[_top];
        Array.Fill(first, int.MaxValue);
        for (var n = _nodeCount - 1; n >= 0; n--)
        {
            for (var c = _model.NodeCluster[n]; c >= 0; c = _model.ClusterParent[c])
            {
                first[c] = n;
            }
        }

        for (var n = 0; n < _nodeCount; n++)
        {
            _children[ContainerOfNode(n)].Add(n);
        }

        for (var c = 0; c < _top; c++)
        {
            _children[ContainerOfCluster(c)].Add(_nodeCount + c);
        }

        foreach (var children in _children)
        {
            children.Sort((a, b) =>
            {
                var (fa, fb) = (a < _nodeCount ? a : first[a - _nodeCount], b < _nodeCount ? b : first[b - _nodeCount]);
                return fa != fb ? fa.CompareTo(fb) : a.CompareTo(b);
            });
        }
    }

    /// <summary>
    /// Each model edge becomes an edge between the two items that hold its ends in the innermost container holding both; on the
    /// way there it leaves each cluster holding its source (through that cluster's bottom) and enters each cluster holding its
    /// target (through the top).
    /// </summary>
    private void CollectLocalEdges()
    {
        var index = new Dictionary<(int, int, int), int>();
        for (var e = 0; e < _model.Edges.Count; e++)
        {
            var (from, to, _) = _model.Edges[e];
            var up = Holders(from); // from's containers, innermost first, with the item holding from in each
            var down = Holders(to);
            var containers = up.Select(step => step.Container).ToList();
            var at = down.FindIndex(step => containers.Contains(step.Container));
            var meet = down[at].Container;
            var upTo = containers.IndexOf(meet);
            var (fromItem, toItem) = (up[upTo].Item, down[at].Item);
            if (!index.TryGetValue((meet, fromItem, toItem), out var local))
            {
                local = _localEdges[meet].Count;
                index[(meet, fromItem, toItem)] = local;
                _localEdges[meet].Add(new LocalEdge(fromItem, toItem));
            }

            var leaves = up.Take(upTo).ToList();
            var enters = down.Take(at).Reverse().ToList();
            foreach (var (container, item) in leaves)
            {
                _exits[container].TryAdd(item, new Chain());
            }

            foreach (var (container, item) in enters)
            {
                _entries[container].TryAdd(item, new Chain());
            }

            _edgeRoute[e] = new EdgeRoute(meet, local, leaves, enters);
        }
    }

    /// <summary>The containers holding a node, innermost first (the top last), with the item that holds the node in each.</summary>
    private List<(int Container, int Item)> Holders(int node)
    {
        var chain = new List<(int Container, int Item)>();
        var item = node;
        for (var container = ContainerOfNode(node); ; container = ContainerOfCluster(container))
        {
            chain.Add((container, item));
            if (container == _top)
            {
                return chain;
            }

            item = _nodeCount + container;
        }
    }

    /// <summary>An item's box in drawing coordinates.</summary>
    private Box ItemBox(int item)
    {
        var (x, y) = (_x[item], _y[item]);
        var container = item < _nodeCount ? ContainerOfNode(item) : ContainerOfCluster(item - _nodeCount);
        (x, y) = Offset(container, x, y);
        return new Box(x, y, _width[item], _height[item]);
    }

    /// <summary>A point in a container's content, in drawing coordinates.</summary>
    private (double X, double Y) Offset(int container, double x, double y)
    {
        while (true)
        {
            x += _contentX[container];
            y += _contentY[container];
            if (container == _top)
            {
                return (x, y);
            }

            var item = _nodeCount + container;
            x += _x[item];
            y += _y[item];
            container = ContainerOfCluster(container);
        }
    }

    private IReadOnlyList<Point> Route(int edge)
    {
        var (from, to, _) = _model.Edges[edge];
        var route = _edgeRoute[edge];
        var (source, target) = (NodeBoxes[from], NodeBoxes[to]);
        var points = new List<Point> { new(source.CentreX, source.Bottom) };
        void Through(int container, List<(double X, double Top, double Bottom)> dummies)
        {
            foreach (var (x, top, bottom) in dummies)
            {
                var (ax, ay) = Offset(container, x, top);
                points.Add(new Point(ax, ay));
                points.Add(new Point(ax, ay + (bottom - top)));
            }
        }

        void At(int container, (double X, double Y) end)
        {
            var (ax, ay) = Offset(container, end.X, end.Y);
            points.Add(new Point(ax, ay));
        }

        foreach (var (container, item) in route.Leaves)
        {
            var exit = _exits[container][item];
            Through(container, exit.Dummies);
            At(container, exit.End);
        }

        Through(route.Container, _localEdges[route.Container][route.Local].Dummies);
        foreach (var (container, item) in route.Enters)
        {
            var entry = _entries[container][item];
            At(container, entry.End);
            Through(container, entry.Dummies);
        }

        points.Add(new Point(target.CentreX, target.Y));
        return points;
    }

    /// <summary>How a model edge is routed: in which container between which items, and which containers it leaves and enters
    /// (with the item of each it leaves from or enters into), in the order it passes them.</summary>
    private sealed record EdgeRoute(int Container, int Local, List<(int Container, int Item)> Leaves, List<(int Container, int Item)> Enters);

    /// <summary>The way edges leave a container from one item (down to its bottom) or enter it into one (from its top): the
    /// dummies on the layers between, and the point on the container's border, in the container's content coordinates.</summary>
    private sealed class Chain
    {
        public List<(double X, double Top, double Bottom)> Dummies { get; } = [];

        public (double X, double Y) End { get; set; }
    }

    /// <summary>An edge between two items of one container, and the dummies it passes through (x, top and bottom of their layer).</summary>
    private sealed class LocalEdge(int from, int to)
    {
        public int From { get; } = from;

        public int To { get; } = to;

        public List<(double X, double Top, double Bottom)> Dummies { get; } = [];
    }
}
