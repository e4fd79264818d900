namespace TaskFlow.Orleans.Client.Graphs;

internal sealed partial class LayeredLayout
{
    /// <summary>
    /// Lays out one container's items (its atoms and nested clusters, already sized): layers, dummies, order, coordinates.
    /// Sets each item's position in the container's content and the container's content offset.
    /// </summary>
    /// <returns>The container's size: its box for a cluster, the whole drawing for the top.</returns>
    private (double Width, double Height) LayOut(int container)
    {
        var items = _children[container];
        var edges = _localEdges[container];
        var isTop = container == _top;
        var (padX, padTop, padBottom) = isTop ? (Margin, Margin, Margin) : (PadX, PadTop, PadBottom);
        var count = items.Count;
        var slotOf = new Dictionary<int, int>(count);
        for (var i = 0; i < count; i++)
        {
            slotOf[items[i]] = i;
        }

        var layerOf = Layers(count, edges.Select(edge => (slotOf[edge.From], slotOf[edge.To])).ToList());

        // An edge spanning several layers passes through one dummy slot on each layer between its ends.
        var slotLayer = new List<int>(layerOf);
        var segments = new List<(int Upper, int Lower)>();
        var dummiesOf = new List<int>[edges.Count];
        for (var k = 0; k < edges.Count; k++)
        {
            dummiesOf[k] = [];
            var (from, to) = (slotOf[edges[k].From], slotOf[edges[k].To]);
            if (layerOf[to] <= layerOf[from])
            {
                continue; // only in a cycle of a hand-made graph: drawn, but not used for ordering
            }

            var upper = from;
            for (var layer = layerOf[from] + 1; layer < layerOf[to]; layer++)
            {
                var dummy = slotLayer.Count;
                slotLayer.Add(layer);
                dummiesOf[k].Add(dummy);
                segments.Add((upper, dummy));
                upper = dummy;
            }

            segments.Add((upper, to));
        }

        // An edge leaving the container passes a dummy on each layer below the item it leaves from, down to the bottom; one
        // entering it passes a dummy on each layer above the item it enters, from the top.
        var lastLayer = count == 0 ? 0 : layerOf.Max();
        var exitDummies = new Dictionary<int, List<int>>();
        foreach (var item in _exits[container].Keys.Order())
        {
            var dummies = exitDummies[item] = [];
            var upper = slotOf[item];
            for (var layer = layerOf[upper] + 1; layer <= lastLayer; layer++)
            {
                var dummy = slotLayer.Count;
                slotLayer.Add(layer);
                dummies.Add(dummy);
                segments.Add((upper, dummy));
                upper = dummy;
            }
        }

        var entryDummies = new Dictionary<int, List<int>>();
        foreach (var item in _entries[container].Keys.Order())
        {
            var dummies = entryDummies[item] = [];
            var target = slotOf[item];
            for (var layer = 0; layer < layerOf[target]; layer++)
            {
                var dummy = slotLayer.Count;
                slotLayer.Add(layer);
                if (dummies.Count > 0)
                {
                    segments.Add((dummies[^1], dummy));
                }

                dummies.Add(dummy);
            }

            if (dummies.Count > 0)
            {
                segments.Add((dummies[^1], target));
            }
        }

        var layerCount = count == 0 ? 0 : slotLayer.Max() + 1;
        var byLayer = new List<int>[layerCount];
        for (var layer = 0; layer < layerCount; layer++)
        {
            byLayer[layer] = [];
        }

        for (var slot = 0; slot < slotLayer.Count; slot++)
        {
            byLayer[slotLayer[slot]].Add(slot);
        }

        byLayer = Order(byLayer, slotLayer, segments);

        // Coordinates: layers stacked top to bottom, each centred; items top-aligned in their layer.
        double SlotWidth(int slot) => slot < count ? _width[items[slot]] : DummyWidth;
        double SlotHeight(int slot) => slot < count ? _height[items[slot]] : 0;
        var layerHeight = byLayer.Select(layer => layer.Max(SlotHeight)).ToArray();
        var layerWidth = byLayer.Select(layer => layer.Sum(SlotWidth) + ItemGap * (layer.Count - 1)).ToArray();
        var contentWidth = layerCount == 0 ? 0 : layerWidth.Max();
        var contentHeight = layerHeight.Sum() + LayerGap * Math.Max(0, layerCount - 1);
        var dummyAt = new Dictionary<int, (double X, double Top, double Bottom)>();
        var y = 0.0;
        for (var layer = 0; layer < layerCount; layer++)
        {
            var x = (contentWidth - layerWidth[layer]) / 2;
            foreach (var slot in byLayer[layer])
            {
                if (slot < count)
                {
                    (_x[items[slot]], _y[items[slot]]) = (x, y);
                }
                else
                {
                    dummyAt[slot] = (x + DummyWidth / 2, y, y + layerHeight[layer]);
                }

                x += SlotWidth(slot) + ItemGap;
            }

            y += layerHeight[layer] + LayerGap;
        }

        for (var k = 0; k < edges.Count; k++)
        {
            edges[k].Dummies.AddRange(dummiesOf[k].Select(dummy => dummyAt[dummy]));
        }

        double Centre(int item) => _x[item] + _width[item] / 2;
        foreach (var (item, dummies) in exitDummies)
        {
            var exit = _exits[container][item];
            exit.Dummies.AddRange(dummies.Select(dummy => dummyAt[dummy]));
            exit.End = (dummies.Count > 0 ? dummyAt[dummies[^1]].X : Centre(item), contentHeight + padBottom);
        }

        foreach (var (item, dummies) in entryDummies)
        {
            var entry = _entries[container][item];
            entry.Dummies.AddRange(dummies.Select(dummy => dummyAt[dummy]));
            entry.End = (dummies.Count > 0 ? dummyAt[dummies[0]].X : Centre(item), -padTop);
        }

        var labelWidth = isTop ? 0 : Math.Ceiling(ClusterLabel(_model.Clusters[container]).Length * LabelCharWidth + 2 * padX);
        var width = Math.Max(contentWidth + 2 * padX, labelWidth);
        _contentX[container] = (width - contentWidth) / 2;
        _contentY[container] = padTop;
        return (width, padTop + contentHeight + padBottom);
    }

    /// <summary>Layers by longest path: an item's layer is one more than its deepest predecessor's. Items left in a cycle (only
    /// in a hand-made graph) go below the rest.</summary>
    private static int[] Layers(int count, List<(int From, int To)> edges)
    {
        var successors = new List<int>[count];
        var remaining = new int[count];
        for (var i = 0; i < count; i++)
        {
            successors[i] = [];
        }

        foreach (var (from, to) in edges)
        {
            successors[from].Add(to);
            remaining[to]++;
        }

        var layer = new int[count];
        var done = new bool[count];
        var ready = new Queue<int>(Enumerable.Range(0, count).Where(i => remaining[i] == 0));
        while (ready.Count > 0)
        {
            var item = ready.Dequeue();
            done[item] = true;
            foreach (var next in successors[item])
            {
                layer[next] = Math.Max(layer[next], layer[item] + 1);
                if (--remaining[next] == 0)
                {
                    ready.Enqueue(next);
                }
            }
        }

        var below = Enumerable.Range(0, count).Where(i => done[i]).Select(i => layer[i] + 1).DefaultIfEmpty(0).Max();
        for (var i = 0; i < count; i++)
        {
            if (!done[i])
            {
                layer[i] = below++;
            }
        }

        return layer;
    }

    /// <summary>Orders each layer by barycentre sweeps, down (by predecessors) then up (by successors), keeping the order with
    /// the fewest crossings. An item with no neighbour on the side swept from keeps its place.</summary>
    private static List<int>[] Order(List<int>[] byLayer, List<int> slotLayer, List<(int Upper, int Lower)> segments)
    {
        var slots = slotLayer.Count;
        var uppers = new List<int>[slots];
        var lowers = new List<int>[slots];
        for (var slot = 0; slot < slots; slot++)
        {
            uppers[slot] = [];
            lowers[slot] = [];
        }

        foreach (var (upper, lower) in segments)
        {
            lowers[upper].Add(lower);
            uppers[lower].Add(upper);
        }

        var position = new int[slots];
        void Number(List<int> layer)
        {
            for (var i = 0; i < layer.Count; i++)
            {
                position[layer[i]] = i;
            }
        }

        void Sort(int index, List<int>[] neighbours)
        {
            var layer = byLayer[index];
            var sorted = layer.OrderBy(slot => neighbours[slot].Count == 0 ? position[slot] : neighbours[slot].Average(n => position[n])).ToList();
            byLayer[index] = sorted;
            Number(sorted);
        }

        int Crossings()
        {
            var crossings = 0;
            for (var i = 0; i < segments.Count; i++)
            {
                for (var j = i + 1; j < segments.Count; j++)
                {
                    // Segments span one layer each: only two between the same layers can cross.
                    var (a, b) = (segments[i], segments[j]);
                    if (slotLayer[a.Upper] == slotLayer[b.Upper]
                        && (position[a.Upper] - position[b.Upper]) * (position[a.Lower] - position[b.Lower]) < 0)
                    {
                        crossings++;
                    }
                }
            }

            return crossings;
        }

        foreach (var layer in byLayer)
        {
            Number(layer);
        }

        var best = byLayer.Select(layer => layer.ToList()).ToArray();
        var fewest = Crossings();
        for (var sweep = 0; sweep < Sweeps && fewest > 0; sweep++)
        {
            for (var index = 1; index < byLayer.Length; index++)
            {
                Sort(index, uppers);
            }

            for (var index = byLayer.Length - 2; index >= 0; index--)
            {
                Sort(index, lowers);
            }

            var crossings = Crossings();
            if (crossings < fewest)
            {
                fewest = crossings;
                best = byLayer.Select(layer => layer.ToList()).ToArray();
            }
        }

        return best;
    }
}
