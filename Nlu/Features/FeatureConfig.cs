namespace BotEngine.Nlu.Features;

/// <summary>Which n-grams make up a message's feature vector, and how groups are weighted.</summary>
public sealed record FeatureConfig
{
    /// <summary>Word n-grams 1..N (0 disables words).</summary>
    public int WordNgramMax { get; init; } = 2;

    /// <summary>Character n-grams inside each word, padded with spaces (like scikit-learn's char_wb).</summary>
    public int CharMin { get; init; } = 2;
    public int CharMax { get; init; } = 5;

    /// <summary>Character n-grams over the whole canonical text, so they span word boundaries (0 disables).</summary>
    public int CrossCharMin { get; init; }
    public int CrossCharMax { get; init; }

    /// <summary>Word prefixes of this length as extra unigrams: a crude stemmer for Russian endings (0 disables).</summary>
    public int PrefixStem { get; init; }

    /// <summary>Drop n-grams seen in fewer documents; 0 means 1 below 8000 examples and 2 from there.</summary>
    public int MinDf { get; init; }

    public float WordWeight { get; init; } = 1f;
    public float CharWeight { get; init; } = 1f;
    public float CrossWeight { get; init; } = 1f;
    public float StemWeight { get; init; } = 1f;

    /// <summary>Weight of the mean word vector group, when the vectorizer has word vectors.</summary>
    public float VectorWeight { get; init; } = 2f;

    /// <summary>
    /// Weight of the sentence-embedding group, when the vectorizer has a sentence encoder. 2-fold held-out accuracy
    /// on the train files (MiniLM; none / 1 / 2 / 4): banking77 90.31 / 92.38 / 92.57 / 92.26, clinc150 94.49 /
    /// 97.05 / 97.07 / 96.73, snips 98.84 / 98.85 / 98.70 / 98.29. 1 is the one weight that loses on no set.
    /// </summary>
    public float EncoderWeight { get; init; } = 1f;

    public bool SublinearTf { get; init; } = true;
}
