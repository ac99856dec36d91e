using System.Text.RegularExpressions;
using BotEngine.Storage;
using Dapper;

namespace BotEngine.Engine.Desk;

public sealed record ChannelBindingRequest(string? CallCentre, string? Line);
