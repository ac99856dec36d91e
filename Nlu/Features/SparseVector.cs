namespace BotEngine.Nlu.Features;

/// <summary>A sparse row: strictly increasing indices with their values.</summary>
public readonly record struct SparseVector(int[] Indices, float[] Values)
{
    public int Count => Indices.Length;

    public static SparseVector Empty { get; } = new([], []);
}
