// A small company built only through the importer, as a new admin would: the guide's overlap cases
// in CSV form. Tests add rows of their own through `extra`.
import type { Db } from "../../src/db/client.ts";
import { importCsv } from "../../src/services/import/import-csv.ts";

export type CompanyCsv = {
  territories: string[];
  reps: string[];
  accounts: string[];
  opportunities?: string[];
};

export const GUIDE_COMPANY: CompanyCsv = {
  territories: [
    "NA Commercial,hybrid,NA,,SMB;MM",
    "EMEA Enterprise,hybrid,EMEA,,ENT",
    "EMEA Commercial,hybrid,EMEA,,SMB;MM",
  ],
  reps: [
    "dana@guide.example,Dana Kim,U0GDANA01,Americas,rep,1.0,NA Commercial",
    "pat@guide.example,Pat Olsen,U0GPAT001,Americas,rep,0.5,NA Commercial",
    "lee@guide.example,Lee Park,U0GLEE001,Americas,rep,1.2,NA Commercial",
    "mona@guide.example,Mona Reyes,U0GMONA01,Americas,manager,1.0,NA Commercial",
    "olga@guide.example,Olga Strand,U0GOLGA01,International,rep,1.0,EMEA Enterprise",
    "hans@guide.example,Hans Weber,U0GHANS01,International,rep,1.0,EMEA Commercial",
    "rita@guide.example,Rita Admin,U0GRITA01,RevOps,admin;arbiter,1.0,",
  ],
  accounts: [
    // The repro: a US MM parent owned by an NA Commercial rep, its German ENT subsidiary.
    "001GUSPARENT,Acme Inc,acme.com,,US,NA,Software,800,MM,4,2026-10-01,false,dana@guide.example",
    "001GDESUB,Acme GmbH,acme.de,001GUSPARENT,DE,EMEA,Software,6000,ENT,4,2026-10-01,false,",
    // A foreign subsidiary with no separate team (EMEA Commercial shares the parent rep's MM band).
    "001GFRSUB,Acme France SAS,acme.fr,001GUSPARENT,FR,EMEA,Software,300,MM,4,2026-10-01,false,",
    // A same-region subsidiary: parent/subsidiary.
    "001GCASUB,Acme Canada Ltd,acme.ca,001GUSPARENT,CA,NA,Software,120,SMB,3,2026-10-01,false,",
    // A reseller deal on a direct rep's account.
    "001GRESELL,Brightline Corp,brightline.com,,US,NA,Retail,400,MM,4,2026-10-01,false,dana@guide.example",
    // White space for the territory rule.
    "001GWHITE1,Cobalt Labs,cobalt.io,,US,NA,Software,50,SMB,4,,false,",
    "001GWHITE2,Delta Freight,deltafreight.com,,US,NA,Logistics,70,SMB,3,,false,",
    "001GWHITE3,Ember Foods,emberfoods.com,,US,NA,Retail,90,SMB,3,,false,",
  ],
  opportunities: ["006GRESELL1,001GRESELL,dana@guide.example,50000,Proposal,true,reseller,ChannelCo"],
};

const HEADERS = {
  territories: "name,model,regions,industries,size_bands",
  reps: "email,name,slack_user_id,team,roles,capacity_weight,territory",
  accounts:
    "crm_id,name,domain,parent_crm_id,country,region,industry,employees,size_band,icp_fit,last_activity_at,named,owner_email",
  opportunities: "crm_id,account_crm_id,owner_email,amount,stage,is_open,source,reseller",
} as const;

export async function importCompany(db: Db, company: CompanyCsv, now: Date): Promise<void> {
  for (const kind of ["territories", "reps", "accounts", "opportunities"] as const) {
    const rows = company[kind] ?? [];
    const result = await importCsv(db, kind, `${HEADERS[kind]}\n${rows.join("\n")}\n`, {
      now,
      actor: "test-import",
    });
    if (!result.ok) throw new Error(`${kind}: ${JSON.stringify(result.errors.slice(0, 3))}`);
  }
}
