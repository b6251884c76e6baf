using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AutomotiveCrm.Domain.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CampaignContentChannels : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "SenderPerDealer",
                table: "CampaignContents",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "SmsSenderId",
                table: "CampaignContents",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "CampaignImages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    NetworkId = table.Column<long>(type: "INTEGER", nullable: false),
                    DealerGroupId = table.Column<long>(type: "INTEGER", nullable: true),
                    DealerId = table.Column<long>(type: "INTEGER", nullable: true),
                    CampaignId = table.Column<long>(type: "INTEGER", nullable: true),
                    Token = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ContentType = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Length = table.Column<int>(type: "INTEGER", nullable: false),
                    Data = table.Column<byte[]>(type: "BLOB", nullable: false),
                    UploadedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    UploadedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CampaignImages", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CampaignImages_Campaigns_CampaignId",
                        column: x => x.CampaignId,
                        principalTable: "Campaigns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_CampaignImages_DealerGroups_DealerGroupId",
                        column: x => x.DealerGroupId,
                        principalTable: "DealerGroups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_CampaignImages_Dealers_DealerId",
                        column: x => x.DealerId,
                        principalTable: "Dealers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_CampaignImages_Networks_NetworkId",
                        column: x => x.NetworkId,
                        principalTable: "Networks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CampaignImages_CampaignId",
                table: "CampaignImages",
                column: "CampaignId");

            migrationBuilder.CreateIndex(
                name: "IX_CampaignImages_DealerGroupId",
                table: "CampaignImages",
                column: "DealerGroupId");

            migrationBuilder.CreateIndex(
                name: "IX_CampaignImages_DealerId",
                table: "CampaignImages",
                column: "DealerId");

            migrationBuilder.CreateIndex(
                name: "IX_CampaignImages_NetworkId_DealerGroupId_UploadedAt",
                table: "CampaignImages",
                columns: new[] { "NetworkId", "DealerGroupId", "UploadedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_CampaignImages_Token",
                table: "CampaignImages",
                column: "Token",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CampaignImages");

            migrationBuilder.DropColumn(
                name: "SenderPerDealer",
                table: "CampaignContents");

            migrationBuilder.DropColumn(
                name: "SmsSenderId",
                table: "CampaignContents");
        }
    }
}
