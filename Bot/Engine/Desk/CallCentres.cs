using System.Data.Common;
using System.Text.Json;
using BotEngine.Storage;
using BotEngine.Handoff;
using Dapper;
using HandoffDialog = BotEngine.Handoff.Dialog;

namespace BotEngine.Engine.Desk;

public static class CallCentres
{
    public const string Default = "default";
}
