using System.Text.RegularExpressions;
using BotEngine.Storage;
using Dapper;

namespace BotEngine.Engine.Desk;

public sealed record ChannelBinding(string Channel, string? CallCentre, string? Line);
