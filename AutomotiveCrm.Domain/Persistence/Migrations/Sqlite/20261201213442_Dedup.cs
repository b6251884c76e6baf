using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AutomotiveCrm.Domain.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Dedup : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "MergedAt",
                table: "Vehicles",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "MergedIntoId",
                table: "Vehicles",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "MergedAt",
                table: "Customers",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "MergedIntoId",
                table: "Customers",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DedupRuleSets",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    NetworkId = table.Column<long>(type: "INTEGER", nullable: false),
                    Level = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    AutoThreshold = table.Column<double>(type: "REAL", nullable: false),
                    ReviewThreshold = table.Column<double>(type: "REAL", nullable: false),
                    ModelJson = table.Column<string>(type: "TEXT", nullable: false),
                    IsActive = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Notes = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DedupRuleSets", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DedupRuleSets_Networks_NetworkId",
                        column: x => x.NetworkId,
                        principalTable: "Networks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "DedupRuns",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    NetworkId = table.Column<long>(type: "INTEGER", nullable: false),
                    Level = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    RuleSetId = table.Column<long>(type: "INTEGER", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    FinishedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    StartedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    RecordsCompared = table.Column<int>(type: "INTEGER", nullable: false),
                    CandidatePairs = table.Column<long>(type: "INTEGER", nullable: false),
                    AutoMerged = table.Column<int>(type: "INTEGER", nullable: false),
                    Queued = table.Column<int>(type: "INTEGER", nullable: false),
                    Progress = table.Column<double>(type: "REAL", nullable: false),
                    Stage = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    StatusReason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Seconds = table.Column<double>(type: "REAL", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DedupRuns", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DedupRuns_DedupRuleSets_RuleSetId",
                        column: x => x.RuleSetId,
                        principalTable: "DedupRuleSets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_DedupRuns_Networks_NetworkId",
                        column: x => x.NetworkId,
                        principalTable: "Networks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "MatchCandidates",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    NetworkId = table.Column<long>(type: "INTEGER", nullable: false),
                    DealerGroupId = table.Column<long>(type: "INTEGER", nullable: true),
                    Level = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    EntityKind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    LeftId = table.Column<long>(type: "INTEGER", nullable: false),
                    RightId = table.Column<long>(type: "INTEGER", nullable: false),
                    OwnerCustomerId = table.Column<long>(type: "INTEGER", nullable: true),
                    Score = table.Column<double>(type: "REAL", nullable: false),
                    Band = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ExplanationJson = table.Column<string>(type: "TEXT", nullable: false),
                    Reasons = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    RunId = table.Column<long>(type: "INTEGER", nullable: true),
                    RuleSetId = table.Column<long>(type: "INTEGER", nullable: true),
                    LeftVersion = table.Column<int>(type: "INTEGER", nullable: false),
                    RightVersion = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DecidedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    MergeId = table.Column<long>(type: "INTEGER", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MatchCandidates", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MatchCandidates_DealerGroups_DealerGroupId",
                        column: x => x.DealerGroupId,
                        principalTable: "DealerGroups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_MatchCandidates_DedupRuleSets_RuleSetId",
                        column: x => x.RuleSetId,
                        principalTable: "DedupRuleSets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_MatchCandidates_DedupRuns_RunId",
                        column: x => x.RunId,
                        principalTable: "DedupRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_MatchCandidates_Networks_NetworkId",
                        column: x => x.NetworkId,
                        principalTable: "Networks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "RecordMerges",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    NetworkId = table.Column<long>(type: "INTEGER", nullable: false),
                    DealerGroupId = table.Column<long>(type: "INTEGER", nullable: true),
                    Level = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    EntityKind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    SurvivorId = table.Column<long>(type: "INTEGER", nullable: false),
                    MergedId = table.Column<long>(type: "INTEGER", nullable: false),
                    CandidateId = table.Column<long>(type: "INTEGER", nullable: true),
                    Score = table.Column<double>(type: "REAL", nullable: true),
                    Automatic = table.Column<bool>(type: "INTEGER", nullable: false),
                    MergedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    MergedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    UndoneAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    UndoneBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    SnapshotJson = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RecordMerges", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RecordMerges_DealerGroups_DealerGroupId",
                        column: x => x.DealerGroupId,
                        principalTable: "DealerGroups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_RecordMerges_MatchCandidates_CandidateId",
                        column: x => x.CandidateId,
                        principalTable: "MatchCandidates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_RecordMerges_Networks_NetworkId",
                        column: x => x.NetworkId,
                        principalTable: "Networks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Vehicles_MergedIntoId",
                table: "Vehicles",
                column: "MergedIntoId");

            migrationBuilder.CreateIndex(
                name: "IX_Customers_MergedIntoId",
                table: "Customers",
                column: "MergedIntoId");

            migrationBuilder.CreateIndex(
                name: "IX_DedupRuleSets_NetworkId_Level_Version",
                table: "DedupRuleSets",
                columns: new[] { "NetworkId", "Level", "Version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DedupRuns_NetworkId_Level_StartedAt",
                table: "DedupRuns",
                columns: new[] { "NetworkId", "Level", "StartedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_DedupRuns_RuleSetId",
                table: "DedupRuns",
                column: "RuleSetId");

            migrationBuilder.CreateIndex(
                name: "IX_MatchCandidates_DealerGroupId_Status_Score",
                table: "MatchCandidates",
                columns: new[] { "DealerGroupId", "Status", "Score" });

            migrationBuilder.CreateIndex(
                name: "IX_MatchCandidates_EntityKind_Level_LeftId_RightId",
                table: "MatchCandidates",
                columns: new[] { "EntityKind", "Level", "LeftId", "RightId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MatchCandidates_EntityKind_RightId",
                table: "MatchCandidates",
                columns: new[] { "EntityKind", "RightId" });

            migrationBuilder.CreateIndex(
                name: "IX_MatchCandidates_NetworkId_Status_Score",
                table: "MatchCandidates",
                columns: new[] { "NetworkId", "Status", "Score" });

            migrationBuilder.CreateIndex(
                name: "IX_MatchCandidates_RuleSetId",
                table: "MatchCandidates",
                column: "RuleSetId");

            migrationBuilder.CreateIndex(
                name: "IX_MatchCandidates_RunId",
                table: "MatchCandidates",
                column: "RunId");

            migrationBuilder.CreateIndex(
                name: "IX_RecordMerges_CandidateId",
                table: "RecordMerges",
                column: "CandidateId");

            migrationBuilder.CreateIndex(
                name: "IX_RecordMerges_DealerGroupId",
                table: "RecordMerges",
                column: "DealerGroupId");

            migrationBuilder.CreateIndex(
                name: "IX_RecordMerges_EntityKind_MergedId",
                table: "RecordMerges",
                columns: new[] { "EntityKind", "MergedId" });

            migrationBuilder.CreateIndex(
                name: "IX_RecordMerges_EntityKind_SurvivorId",
                table: "RecordMerges",
                columns: new[] { "EntityKind", "SurvivorId" });

            migrationBuilder.CreateIndex(
                name: "IX_RecordMerges_NetworkId_MergedAt",
                table: "RecordMerges",
                columns: new[] { "NetworkId", "MergedAt" });

            migrationBuilder.AddForeignKey(
                name: "FK_Customers_Customers_MergedIntoId",
                table: "Customers",
                column: "MergedIntoId",
                principalTable: "Customers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_Vehicles_Vehicles_MergedIntoId",
                table: "Vehicles",
                column: "MergedIntoId",
                principalTable: "Vehicles",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Customers_Customers_MergedIntoId",
                table: "Customers");

            migrationBuilder.DropForeignKey(
                name: "FK_Vehicles_Vehicles_MergedIntoId",
                table: "Vehicles");

            migrationBuilder.DropTable(
                name: "RecordMerges");

            migrationBuilder.DropTable(
                name: "MatchCandidates");

            migrationBuilder.DropTable(
                name: "DedupRuns");

            migrationBuilder.DropTable(
                name: "DedupRuleSets");

            migrationBuilder.DropIndex(
                name: "IX_Vehicles_MergedIntoId",
                table: "Vehicles");

            migrationBuilder.DropIndex(
                name: "IX_Customers_MergedIntoId",
                table: "Customers");

            migrationBuilder.DropColumn(
                name: "MergedAt",
                table: "Vehicles");

            migrationBuilder.DropColumn(
                name: "MergedIntoId",
                table: "Vehicles");

            migrationBuilder.DropColumn(
                name: "MergedAt",
                table: "Customers");

            migrationBuilder.DropColumn(
                name: "MergedIntoId",
                table: "Customers");
        }
    }
}
