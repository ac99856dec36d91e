namespace BotEngine.Nlu.Features;

/// <summary>Feature group ids; they live in the low bits of a feature key.</summary>
public enum FeatureGroup
{
    Word = 0,
    Char = 1,
    CrossChar = 2,
    Stem = 3,
}
