import type { SampleArticle, SampleCategory } from './types';

/**
 * Sample knowledge base of the demo company "Northwind Cloud": a SaaS app for small businesses
 * (invoicing, quotes, projects and time tracking, team accounts, mobile app) plus a card reader
 * shipped by post. Every article is written in English and German.
 */

/** Strips the common indentation of a template literal so Markdown bodies can be written indented. */
function md(strings: TemplateStringsArray): string {
  const lines = strings
    .join('')
    .replace(/^\n/, '')
    .replace(/\n\s*$/, '')
    .split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent).trimEnd()).join('\n');
}

export const SAMPLE_CATEGORIES: SampleCategory[] = [
  {
    slug: 'getting-started',
    position: 0,
    translations: {
      en: {
        name: 'Getting started',
        description: 'Set up your workspace, import your data and learn the basics of quotes, projects and time tracking.',
      },
      de: {
        name: 'Erste Schritte',
        description: 'Arbeitsbereich einrichten, Daten importieren und die Grundlagen zu Angeboten, Projekten und Zeiterfassung.',
      },
    },
  },
  {
    slug: 'account-and-security',
    position: 1,
    translations: {
      en: {
        name: 'Account & security',
        description: 'Sign-in, passwords, two-factor authentication, privacy and where your data is stored.',
      },
      de: {
        name: 'Konto & Sicherheit',
        description: 'Anmeldung, Passwörter, Zwei-Faktor-Authentifizierung, Datenschutz und Speicherort Ihrer Daten.',
      },
    },
  },
  {
    slug: 'billing-and-plans',
    position: 2,
    translations: {
      en: {
        name: 'Billing & plans',
        description: 'Plans and prices, paying for Northwind Cloud, cancellations, refunds and discounts.',
      },
      de: {
        name: 'Abrechnung & Tarife',
        description: 'Tarife und Preise, Bezahlung von Northwind Cloud, Kündigung, Erstattungen und Rabatte.',
      },
    },
  },
  {
    slug: 'invoices-and-payments',
    position: 3,
    translations: {
      en: {
        name: 'Invoices & payments',
        description: 'Creating, sending and exporting invoices, taxes, reminders and recurring billing.',
      },
      de: {
        name: 'Rechnungen & Zahlungen',
        description: 'Rechnungen erstellen, versenden und exportieren, Steuern, Mahnungen und wiederkehrende Rechnungen.',
      },
    },
  },
  {
    slug: 'team-and-permissions',
    position: 4,
    translations: {
      en: {
        name: 'Team & permissions',
        description: 'Invite colleagues, manage roles and ownership, and remove users who leave.',
      },
      de: {
        name: 'Team & Berechtigungen',
        description: 'Kolleginnen und Kollegen einladen, Rollen und Inhaberschaft verwalten und ausgeschiedene Nutzer entfernen.',
      },
    },
  },
  {
    slug: 'apps-and-integrations',
    position: 5,
    translations: {
      en: {
        name: 'Mobile app & integrations',
        description: 'The iOS and Android app, online payments with Stripe and PayPal, Zapier, webhooks and the API.',
      },
      de: {
        name: 'Mobile App & Integrationen',
        description: 'Die App für iOS und Android, Online-Zahlungen mit Stripe und PayPal, Zapier, Webhooks und die API.',
      },
    },
  },
  {
    slug: 'orders-and-shipping',
    position: 6,
    translations: {
      en: {
        name: 'Card reader & shipping',
        description: 'Ordering, pairing and returning the Northwind card reader, delivery times and parcel tracking.',
      },
      de: {
        name: 'Kartenlesegerät & Versand',
        description: 'Bestellen, Koppeln und Zurücksenden des Northwind-Kartenlesegeräts, Lieferzeiten und Sendungsverfolgung.',
      },
    },
  },
];

export const SAMPLE_ARTICLES: SampleArticle[] = [
  // ---------------------------------------------------------------- getting-started
  {
    slug: 'getting-started-with-northwind',
    category: 'getting-started',
    translations: {
      en: {
        title: 'Getting started: set up your company and send your first invoice',
        keywords: ['onboarding', 'setup', 'first steps', 'company profile', 'logo', 'first invoice'],
        body: md`
          ## 1. Complete your company profile
          Go to **Settings → Company** and enter your legal company name, address and tax details. These appear on every quote and invoice, so check the spelling before you send anything.

          ## 2. Add your logo and colours
          Under **Settings → Branding** upload a PNG or SVG logo (max. 2 MB) and pick an accent colour for your documents.

          ## 3. Add a customer
          Open **Customers → New customer**. Only a name is required, but an email address lets you send documents directly from Northwind Cloud. Already have a list? See [Import data from a CSV file](/help/import-data-from-csv).

          ## 4. Create and send your first invoice
          Click **Invoices → New invoice**, pick the customer, add line items and choose a due date. Use **Preview** to check the layout, then **Send**. Your customer receives an email with a link to view and download the PDF.

          ## What's next
          - Invite colleagues under **Settings → Team**.
          - Connect Stripe or PayPal so customers can pay online.
          - Install the mobile app to track time on the go.
        `,
      },
      de: {
        title: 'Erste Schritte: Firmenprofil einrichten und erste Rechnung senden',
        keywords: ['Einrichtung', 'erste Schritte', 'Onboarding', 'Firmendaten', 'Logo', 'erste Rechnung'],
        body: md`
          ## 1. Firmenprofil vervollständigen
          Öffnen Sie **Einstellungen → Unternehmen** und tragen Sie den vollständigen Firmennamen, Ihre Anschrift und Ihre Steuerangaben ein. Diese Daten erscheinen auf jedem Angebot und jeder Rechnung – prüfen Sie sie also, bevor Sie das erste Dokument verschicken.

          ## 2. Logo und Farben hinterlegen
          Unter **Einstellungen → Branding** laden Sie Ihr Logo als PNG oder SVG hoch (max. 2 MB) und wählen eine Akzentfarbe für Ihre Dokumente.

          ## 3. Kunden anlegen
          Über **Kunden → Neuer Kunde** legen Sie Ihren ersten Kunden an. Pflicht ist nur der Name; mit einer E-Mail-Adresse können Sie Dokumente direkt aus Northwind Cloud versenden. Sie haben bereits eine Kundenliste? Dann lesen Sie [Daten aus einer CSV-Datei importieren](/help/import-data-from-csv).

          ## 4. Erste Rechnung erstellen und senden
          Klicken Sie auf **Rechnungen → Neue Rechnung**, wählen Sie den Kunden, fügen Sie Positionen hinzu und legen Sie das Zahlungsziel fest. Mit **Vorschau** prüfen Sie das Layout, mit **Senden** geht die Rechnung raus. Ihr Kunde erhält eine E-Mail mit einem Link zur Rechnung als PDF.

          ## Wie geht es weiter?
          - Laden Sie Kolleginnen und Kollegen unter **Einstellungen → Team** ein.
          - Verbinden Sie Stripe oder PayPal, damit Kunden online bezahlen können.
          - Installieren Sie die mobile App, um unterwegs Zeiten zu erfassen.
        `,
      },
    },
  },
  {
    slug: 'import-data-from-csv',
    kind: 'tutorial',
    category: 'getting-started',
    translations: {
      en: {
        title: 'Import customers, products or past invoices from a CSV file',
        keywords: ['import', 'CSV', 'Excel', 'migrate', 'spreadsheet', 'upload customers', 'switch from another tool'],
        body: md`
          Moving over from spreadsheets or another invoicing tool? This guide walks you through importing a CSV file into Northwind Cloud. It takes about five minutes, and nothing is saved until you confirm the import in the last step.
        `,
        steps: [
          {
            id: 'prepare',
            title: 'Prepare your file',
            body: md`
              Export your data as **CSV** from Excel, Google Sheets or your previous tool.

              - The first row must contain column headers.
              - Save the file as UTF-8 (in Excel: *CSV UTF-8*).
              - Commas and semicolons are both detected automatically.
              - Up to 10,000 rows and 20 MB per file.

              If you'd like a template, download our example files under **Settings → Import**.
            `,
            next: 'choose-type',
          },
          {
            id: 'choose-type',
            title: 'Choose what you are importing',
            body: 'Go to **Settings → Import** and click **New import**. What does your file contain?',
            choices: [
              { label: 'Customers or products', next: 'upload' },
              { label: 'Invoices from another tool', next: 'past-invoices' },
            ],
          },
          {
            id: 'past-invoices',
            title: 'Importing past invoices',
            body: md`
              Imported invoices are stored as **archived**: they count in your reports and customer history, but they can't be edited or sent again, and they keep their original numbers.

              Import your **customers first**, so invoices can be matched by customer name or number. Afterwards, set the next invoice number under **Settings → Invoices → Numbering** so that new invoices continue your sequence.
            `,
            next: 'upload',
          },
          {
            id: 'upload',
            title: 'Upload the file and match the columns',
            body: md`
              Select your file. Northwind Cloud shows the first rows and suggests a field for every column, e.g. *Company* → **Customer name**.

              Check each suggestion and change it where needed. Set columns you don't need to **Ignore**. Required fields are marked with an asterisk: a name for customers and products; number, date, customer and total for invoices.
            `,
            next: 'review',
          },
          {
            id: 'review',
            title: 'Review and start the import',
            body: md`
              The preview lists how many rows will be created, updated (matched by email or customer number) or skipped. Click **Start import**. Small files finish in seconds; for large ones you'll get an email when they're done.

              How did it go?
            `,
            choices: [
              { label: 'All rows were imported', next: 'done' },
              { label: 'Some rows were skipped', next: 'fix-errors' },
            ],
          },
          {
            id: 'fix-errors',
            title: 'Fix skipped rows',
            body: md`
              Open the import and click **Download skipped rows**. The file contains only the failed rows plus an **Error** column, e.g. *invalid email* or *date format not recognised* (use YYYY-MM-DD or DD.MM.YYYY).

              Correct the rows, delete the Error column and import the file again – rows that were already imported are recognised and not duplicated.
            `,
          },
          {
            id: 'done',
            title: 'Import complete',
            body: md`
              Your data is now in Northwind Cloud. Open **Customers** or **Products** and spot-check a few records. If something looks wrong, you can undo the entire import within 24 hours via **Settings → Import → Undo**.
            `,
          },
        ],
      },
      de: {
        title: 'Kunden, Produkte oder alte Rechnungen aus einer CSV-Datei importieren',
        keywords: ['Import', 'CSV', 'Excel', 'Datenübernahme', 'Umzug', 'Kunden importieren', 'Programmwechsel'],
        body: md`
          Sie kommen von Excel-Listen oder einem anderen Rechnungsprogramm? Diese Anleitung führt Sie durch den Import einer CSV-Datei in Northwind Cloud. Das dauert etwa fünf Minuten; gespeichert wird erst, wenn Sie den Import im letzten Schritt bestätigen.
        `,
        steps: [
          {
            id: 'prepare',
            title: 'Datei vorbereiten',
            body: md`
              Exportieren Sie Ihre Daten als **CSV** aus Excel, Google Sheets oder Ihrem bisherigen Programm.

              - Die erste Zeile muss Spaltenüberschriften enthalten.
              - Speichern Sie die Datei im Format UTF-8 (in Excel: *CSV UTF-8*).
              - Komma und Semikolon als Trennzeichen werden automatisch erkannt.
              - Bis zu 10.000 Zeilen und 20 MB pro Datei.

              Beispieldateien als Vorlage finden Sie unter **Einstellungen → Import**.
            `,
            next: 'choose-type',
          },
          {
            id: 'choose-type',
            title: 'Art der Daten wählen',
            body: 'Öffnen Sie **Einstellungen → Import** und klicken Sie auf **Neuer Import**. Was enthält Ihre Datei?',
            choices: [
              { label: 'Kunden oder Produkte', next: 'upload' },
              { label: 'Rechnungen aus einem anderen Programm', next: 'past-invoices' },
            ],
          },
          {
            id: 'past-invoices',
            title: 'Alte Rechnungen importieren',
            body: md`
              Importierte Rechnungen werden **archiviert** gespeichert: Sie fließen in Berichte und die Kundenhistorie ein, lassen sich aber weder bearbeiten noch erneut versenden und behalten ihre ursprünglichen Nummern.

              Importieren Sie **zuerst Ihre Kunden**, damit die Rechnungen über Kundenname oder Kundennummer zugeordnet werden können. Legen Sie anschließend unter **Einstellungen → Rechnungen → Nummernkreise** die nächste Rechnungsnummer fest, damit neue Rechnungen Ihren bisherigen Nummernkreis fortsetzen.
            `,
            next: 'upload',
          },
          {
            id: 'upload',
            title: 'Datei hochladen und Spalten zuordnen',
            body: md`
              Wählen Sie Ihre Datei aus. Northwind Cloud zeigt die ersten Zeilen an und schlägt für jede Spalte ein Feld vor, z. B. *Firma* → **Kundenname**.

              Prüfen Sie die Vorschläge und ändern Sie sie bei Bedarf. Nicht benötigte Spalten setzen Sie auf **Ignorieren**. Pflichtfelder sind mit einem Sternchen markiert: ein Name bei Kunden und Produkten; Nummer, Datum, Kunde und Gesamtbetrag bei Rechnungen.
            `,
            next: 'review',
          },
          {
            id: 'review',
            title: 'Prüfen und Import starten',
            body: md`
              Die Vorschau zeigt, wie viele Zeilen neu angelegt, aktualisiert (Abgleich über E-Mail oder Kundennummer) oder übersprungen werden. Klicken Sie auf **Import starten**. Kleine Dateien sind in Sekunden fertig; bei großen erhalten Sie eine E-Mail, sobald alles durch ist.

              Wie ist es gelaufen?
            `,
            choices: [
              { label: 'Alle Zeilen wurden importiert', next: 'done' },
              { label: 'Einige Zeilen wurden übersprungen', next: 'fix-errors' },
            ],
          },
          {
            id: 'fix-errors',
            title: 'Übersprungene Zeilen korrigieren',
            body: md`
              Öffnen Sie den Import und klicken Sie auf **Übersprungene Zeilen herunterladen**. Die Datei enthält nur die fehlerhaften Zeilen und eine zusätzliche Spalte **Fehler**, etwa *ungültige E-Mail* oder *Datumsformat nicht erkannt* (verwenden Sie TT.MM.JJJJ oder JJJJ-MM-TT).

              Korrigieren Sie die Zeilen, löschen Sie die Spalte „Fehler“ und importieren Sie die Datei erneut – bereits importierte Zeilen werden erkannt und nicht doppelt angelegt.
            `,
          },
          {
            id: 'done',
            title: 'Import abgeschlossen',
            body: md`
              Ihre Daten sind jetzt in Northwind Cloud. Sehen Sie sich unter **Kunden** oder **Produkte** stichprobenartig ein paar Einträge an. Stimmt etwas nicht, können Sie den gesamten Import innerhalb von 24 Stunden über **Einstellungen → Import → Rückgängig** zurücknehmen.
            `,
          },
        ],
      },
    },
  },
  {
    slug: 'track-time-on-projects',
    category: 'getting-started',
    translations: {
      en: {
        title: 'Track time with the timer or timesheets',
        keywords: ['time tracking', 'timer', 'timesheet', 'hours', 'billable hours', 'stopwatch'],
        body: md`
          Northwind Cloud records working hours against projects so you can bill them later.

          ## Start a timer
          Open a project and click **Start timer**, or use the stopwatch button in the top bar from anywhere in the app. Pick a task and optionally add a note. Only one timer can run at a time; starting a new one stops the previous one. Timers keep running when you close the browser tab and sync with the mobile app.

          ## Add hours manually
          Forgot to start the timer? Open **Time → Timesheet**, choose the day and type the duration (e.g. 1:30 or 1.5) in the project's row.

          ## Billable or not
          Each entry is billable by default and uses the hourly rate of the task, the project or the team member (in that order). Untick **Billable** for internal work.

          ## Bill your hours
          When you create an invoice for a customer, click **Add unbilled time**. The selected entries become line items and are marked as billed, so they are never invoiced twice.

          Managers can lock the timesheets of past weeks under **Settings → Time tracking**.
        `,
      },
      de: {
        title: 'Arbeitszeit mit Timer oder Stundenzettel erfassen',
        keywords: ['Zeiterfassung', 'Stundenzettel', 'Timer', 'Arbeitszeit', 'Stunden abrechnen', 'Stoppuhr'],
        body: md`
          Northwind Cloud erfasst Arbeitszeiten projektbezogen, damit Sie sie später abrechnen können.

          ## Timer starten
          Öffnen Sie ein Projekt und klicken Sie auf **Timer starten** – oder nutzen Sie die Stoppuhr in der oberen Leiste, egal wo Sie sich in der App befinden. Wählen Sie eine Aufgabe und ergänzen Sie bei Bedarf eine Notiz. Es läuft immer nur ein Timer; starten Sie einen neuen, wird der vorherige angehalten. Der Timer läuft weiter, auch wenn Sie den Browser-Tab schließen, und wird mit der mobilen App synchronisiert.

          ## Zeiten nachtragen
          Timer vergessen? Unter **Zeiten → Stundenzettel** wählen Sie den Tag und tragen die Dauer (z. B. 1:30 oder 1,5) in der Zeile des Projekts ein.

          ## Abrechenbar oder intern
          Jeder Eintrag ist standardmäßig abrechenbar und nutzt den Stundensatz der Aufgabe, des Projekts oder des Teammitglieds (in dieser Reihenfolge). Für interne Arbeit entfernen Sie das Häkchen bei **Abrechenbar**.

          ## Stunden in Rechnung stellen
          Beim Erstellen einer Rechnung klicken Sie auf **Offene Zeiten hinzufügen**. Die ausgewählten Einträge werden zu Rechnungspositionen und als abgerechnet markiert, damit nichts doppelt berechnet wird.

          Manager können die Stundenzettel vergangener Wochen unter **Einstellungen → Zeiterfassung** sperren.
        `,
      },
    },
  },
  {
    slug: 'projects-and-budgets',
    category: 'getting-started',
    translations: {
      en: {
        title: 'Organise work in projects and set a budget',
        keywords: ['project', 'budget', 'fixed fee', 'archive project', 'project report', 'tasks'],
        body: md`
          Projects group tasks, time entries, expenses and invoices for one customer.

          ## Create a project
          Go to **Projects → New project**, choose the customer and give the project a name. Add tasks such as "Design" or "Support" – each task can have its own hourly rate.

          ## Budgets
          Under **Project settings → Budget**, choose one of three budget types:
          - **Fixed fee** – a total price, independent of the hours worked.
          - **Hours** – a maximum number of hours across the project.
          - **Amount** – a maximum value of billable time and expenses.

          Northwind Cloud shows the budget used as a progress bar and emails the project manager when 80% and 100% are reached. You can change these thresholds per project.

          ## Archive finished projects
          When a project is done, choose **More → Archive**. Archived projects disappear from the timer list and the dashboard but keep all their data and reports. You can restore them at any time.

          ## Reports
          **Reports → Projects** compares budget, tracked hours and invoiced amounts, and can be exported to Excel.
        `,
      },
      de: {
        title: 'Projekte anlegen und Budgets festlegen',
        keywords: ['Projekt', 'Budget', 'Pauschalpreis', 'Projekt archivieren', 'Projektbericht', 'Aufgaben'],
        body: md`
          Projekte bündeln Aufgaben, Zeiteinträge, Ausgaben und Rechnungen für einen Kunden.

          ## Projekt anlegen
          Unter **Projekte → Neues Projekt** wählen Sie den Kunden und vergeben einen Namen. Fügen Sie Aufgaben wie „Design“ oder „Support“ hinzu – jede Aufgabe kann einen eigenen Stundensatz haben.

          ## Budgets
          In den **Projekteinstellungen → Budget** stehen drei Budgetarten zur Wahl:
          - **Pauschalpreis** – ein fester Gesamtpreis, unabhängig vom Aufwand.
          - **Stunden** – eine maximale Stundenzahl für das gesamte Projekt.
          - **Betrag** – ein Höchstwert für abrechenbare Zeiten und Ausgaben.

          Northwind Cloud zeigt den Verbrauch als Fortschrittsbalken und benachrichtigt die Projektleitung per E-Mail, sobald 80 % und 100 % erreicht sind. Die Schwellenwerte lassen sich pro Projekt anpassen.

          ## Abgeschlossene Projekte archivieren
          Ist ein Projekt beendet, wählen Sie **Mehr → Archivieren**. Archivierte Projekte erscheinen nicht mehr in der Timer-Liste und im Dashboard, behalten aber alle Daten und Auswertungen. Sie können sie jederzeit wiederherstellen.

          ## Auswertungen
          Unter **Berichte → Projekte** vergleichen Sie Budget, erfasste Stunden und abgerechnete Beträge; der Bericht lässt sich nach Excel exportieren.
        `,
      },
    },
  },
  {
    slug: 'convert-quote-to-invoice',
    category: 'getting-started',
    translations: {
      en: {
        title: 'Send quotes and turn accepted quotes into invoices',
        keywords: ['quote', 'estimate', 'proposal', 'convert quote', 'deposit invoice', 'accept quote'],
        body: md`
          ## Create a quote
          Go to **Quotes → New quote**. Quotes work like invoices: choose a customer, add line items, discounts and notes, and set an expiry date (30 days by default). Quotes have their own number range, e.g. Q-2024-001.

          ## Let your customer accept online
          When you send a quote by email, your customer gets a link with **Accept** and **Decline** buttons. They can add a comment, and you are notified straight away. You can also mark a quote as accepted yourself, for example after a phone call.

          ## Convert to an invoice
          Open an accepted quote and click **Convert to invoice**. All line items, discounts and the customer's details are copied into a new draft invoice, which stays linked to the quote. Instead of the full amount you can create a **deposit invoice** for a percentage (e.g. 30% upfront) and invoice the rest later.

          ## Expired quotes
          Quotes past their expiry date are marked *Expired*. Use **Duplicate** to send an updated version with new prices.
        `,
      },
      de: {
        title: 'Angebote versenden und in Rechnungen umwandeln',
        keywords: ['Angebot', 'Kostenvoranschlag', 'Angebot umwandeln', 'Anzahlungsrechnung', 'Angebot annehmen', 'Offerte'],
        body: md`
          ## Angebot erstellen
          Unter **Angebote → Neues Angebot** legen Sie ein Angebot an – genau wie eine Rechnung: Kunden auswählen, Positionen, Rabatte und Hinweise ergänzen und ein Gültigkeitsdatum festlegen (standardmäßig 30 Tage). Angebote haben einen eigenen Nummernkreis, z. B. A-2024-001.

          ## Online annehmen lassen
          Verschicken Sie das Angebot per E-Mail, erhält Ihr Kunde einen Link mit den Schaltflächen **Annehmen** und **Ablehnen**. Er kann einen Kommentar hinterlassen, und Sie werden sofort benachrichtigt. Natürlich können Sie ein Angebot auch selbst als angenommen markieren, etwa nach einem Telefonat.

          ## In eine Rechnung umwandeln
          Öffnen Sie das angenommene Angebot und klicken Sie auf **In Rechnung umwandeln**. Alle Positionen, Rabatte und Kundendaten werden in einen neuen Rechnungsentwurf übernommen, der mit dem Angebot verknüpft bleibt. Statt des Gesamtbetrags können Sie auch eine **Anzahlungsrechnung** über einen Prozentsatz (z. B. 30 % vorab) erstellen und den Rest später abrechnen.

          ## Abgelaufene Angebote
          Angebote nach Ablauf der Gültigkeit werden als *Abgelaufen* markiert. Mit **Duplizieren** senden Sie eine aktualisierte Fassung mit neuen Preisen.
        `,
      },
    },
  },
  {
    slug: 'currency-settings',
    category: 'getting-started',
    translations: {
      en: {
        title: 'Invoice in other currencies',
        keywords: ['currency', 'foreign currency', 'exchange rate', 'USD', 'base currency', 'multi-currency'],
        body: md`
          Your **base currency** is set when you create your workspace and is used for reports and the dashboard. You can still invoice customers in more than 30 other currencies.

          ## Set a customer's currency
          Open the customer, click **Edit** and choose a **Default currency**. New quotes and invoices for that customer use it automatically. You can also change the currency on an individual draft invoice.

          ## Exchange rates
          Northwind Cloud fetches daily reference rates from the European Central Bank. The rate on the invoice date is stored with the invoice and used to convert amounts in your reports. If your bank used a different rate, you can overwrite it on the invoice before sending.

          ## Number format
          Decimal separators, thousands separators and the position of the currency symbol follow the invoice language. A German invoice shows "1.234,50 €", an English one "€1,234.50".

          ## Changing the base currency
          The base currency can only be changed before your first invoice is finalised. After that, please contact support – we can help, but historic reports will be recalculated.
        `,
      },
      de: {
        title: 'Rechnungen in Fremdwährung stellen',
        keywords: ['Währung', 'Fremdwährung', 'Wechselkurs', 'Dollar', 'Basiswährung', 'Franken'],
        body: md`
          Ihre **Basiswährung** legen Sie beim Anlegen des Arbeitsbereichs fest; sie gilt für Berichte und das Dashboard. Rechnungen können Sie trotzdem in mehr als 30 weiteren Währungen schreiben.

          ## Währung pro Kunde festlegen
          Öffnen Sie den Kunden, klicken Sie auf **Bearbeiten** und wählen Sie eine **Standardwährung**. Neue Angebote und Rechnungen für diesen Kunden verwenden sie automatisch. Bei einem einzelnen Rechnungsentwurf lässt sich die Währung ebenfalls ändern.

          ## Wechselkurse
          Northwind Cloud ruft täglich die Referenzkurse der Europäischen Zentralbank ab. Der Kurs zum Rechnungsdatum wird mit der Rechnung gespeichert und für die Umrechnung in Ihren Berichten genutzt. Hat Ihre Bank einen anderen Kurs verwendet, können Sie ihn vor dem Versand überschreiben.

          ## Zahlenformat
          Dezimal- und Tausendertrennzeichen sowie die Position des Währungssymbols richten sich nach der Rechnungssprache: Eine deutsche Rechnung zeigt „1.234,50 €“, eine englische „€1,234.50“.

          ## Basiswährung ändern
          Die Basiswährung lässt sich nur ändern, solange noch keine Rechnung festgeschrieben wurde. Danach wenden Sie sich bitte an den Support – wir helfen gern, historische Berichte werden dabei allerdings neu berechnet.
        `,
      },
    },
  },

  // ---------------------------------------------------------------- account-and-security
  {
    slug: 'reset-password',
    category: 'account-and-security',
    translations: {
      en: {
        title: 'Reset a forgotten password',
        keywords: ['forgot password', 'reset password', 'cannot log in', 'reset link', 'new password', 'sign in'],
        body: md`
          If you can't sign in, you can set a new password yourself in a few minutes.

          1. On the sign-in page, click **Forgot password?**
          2. Enter the email address you use for Northwind Cloud and click **Send reset link**.
          3. Open the email from Northwind Cloud and click the link. It is valid for 60 minutes and can be used once.
          4. Choose a new password with at least 12 characters. We recommend using a password manager.

          After the reset, all other sessions – including the mobile app – are signed out for your security.

          ## The email doesn't arrive
          - Check your spam or junk folder and search for "Northwind".
          - Make sure you entered the address your account uses. For security reasons we don't reveal whether an account exists for an address.
          - Company mail filters sometimes delay messages by a few minutes. Wait before requesting another link: each new request invalidates the previous one.

          ## Changing a password you still know
          While signed in, go to **Settings → Profile → Password**. You'll need your current password.

          If your workspace uses single sign-on with Google or Microsoft, reset the password with that provider instead.
        `,
      },
      de: {
        title: 'Passwort vergessen? So setzen Sie es zurück',
        keywords: ['Passwort vergessen', 'Passwort zurücksetzen', 'Kennwort', 'Anmeldung', 'Login', 'neues Passwort'],
        body: md`
          Wenn Sie sich nicht mehr anmelden können, vergeben Sie in wenigen Minuten selbst ein neues Passwort.

          1. Klicken Sie auf der Anmeldeseite auf **Passwort vergessen?**
          2. Geben Sie die E-Mail-Adresse Ihres Northwind-Cloud-Kontos ein und klicken Sie auf **Link senden**.
          3. Öffnen Sie die E-Mail von Northwind Cloud und klicken Sie auf den Link. Er ist 60 Minuten gültig und kann nur einmal verwendet werden.
          4. Wählen Sie ein neues Passwort mit mindestens 12 Zeichen. Wir empfehlen einen Passwort-Manager.

          Nach dem Zurücksetzen werden alle anderen Sitzungen – auch in der mobilen App – aus Sicherheitsgründen abgemeldet.

          ## Die E-Mail kommt nicht an
          - Sehen Sie im Spam- oder Junk-Ordner nach und suchen Sie nach „Northwind“.
          - Prüfen Sie, ob Sie die richtige Adresse eingegeben haben. Aus Sicherheitsgründen verraten wir nicht, ob zu einer Adresse ein Konto existiert.
          - Firmen-Mailfilter verzögern Nachrichten manchmal um einige Minuten. Warten Sie kurz, bevor Sie einen neuen Link anfordern – jede neue Anfrage macht den vorherigen Link ungültig.

          ## Bekanntes Passwort ändern
          Wenn Sie angemeldet sind, finden Sie die Option unter **Einstellungen → Profil → Passwort**. Dafür brauchen Sie Ihr aktuelles Passwort.

          Nutzt Ihr Arbeitsbereich Single Sign-on mit Google oder Microsoft, ändern Sie das Passwort beim jeweiligen Anbieter.
        `,
      },
    },
  },
  {
    slug: 'enable-two-factor-authentication',
    category: 'account-and-security',
    translations: {
      en: {
        title: 'Turn on two-factor authentication (2FA)',
        keywords: ['2FA', 'two-factor', 'authenticator app', 'MFA', 'security key', 'passkey', 'login code'],
        body: md`
          Two-factor authentication adds a second check when you sign in: besides your password, you enter a six-digit code from your phone or use a security key.

          ## Set it up
          1. Go to **Settings → Profile → Security** and click **Enable two-factor authentication**.
          2. Scan the QR code with an authenticator app such as Google Authenticator, Microsoft Authenticator, 1Password or Authy.
          3. Enter the six-digit code shown in the app to confirm.
          4. Download or print your **10 recovery codes** and store them somewhere safe. Each code works once.

          In the same menu you can additionally register a hardware security key or passkey (e.g. YubiKey, Touch ID).

          We don't send codes by SMS, because text messages can be intercepted.

          ## Require 2FA for the whole team
          Owners and admins can make 2FA mandatory under **Settings → Team → Security policy**. Members without 2FA are asked to set it up the next time they sign in.

          Lost your phone? See [Lost access to your two-factor device](/help/lost-two-factor-device).
        `,
      },
      de: {
        title: 'Zwei-Faktor-Authentifizierung (2FA) aktivieren',
        keywords: ['2FA', 'Zwei-Faktor', 'Authenticator', 'Bestätigungscode', 'Sicherheitsschlüssel', 'Passkey', 'MFA'],
        body: md`
          Mit der Zwei-Faktor-Authentifizierung wird bei der Anmeldung ein zweiter Nachweis verlangt: Neben dem Passwort geben Sie einen sechsstelligen Code vom Smartphone ein oder nutzen einen Sicherheitsschlüssel.

          ## Einrichtung
          1. Öffnen Sie **Einstellungen → Profil → Sicherheit** und klicken Sie auf **Zwei-Faktor-Authentifizierung aktivieren**.
          2. Scannen Sie den QR-Code mit einer Authenticator-App wie Google Authenticator, Microsoft Authenticator, 1Password oder Authy.
          3. Bestätigen Sie mit dem sechsstelligen Code aus der App.
          4. Laden Sie Ihre **10 Wiederherstellungscodes** herunter oder drucken Sie sie aus, und bewahren Sie sie sicher auf. Jeder Code funktioniert nur einmal.

          Im selben Menü können Sie zusätzlich einen Hardware-Sicherheitsschlüssel oder Passkey (z. B. YubiKey, Touch ID) registrieren.

          Codes per SMS bieten wir nicht an, da SMS abgefangen werden können.

          ## 2FA für das ganze Team vorschreiben
          Inhaber und Administratoren können 2FA unter **Einstellungen → Team → Sicherheitsrichtlinie** verpflichtend machen. Wer noch keine 2FA nutzt, wird bei der nächsten Anmeldung zur Einrichtung aufgefordert.

          Handy verloren? Lesen Sie [Kein Zugriff mehr auf das 2FA-Gerät](/help/lost-two-factor-device).
        `,
      },
    },
  },
  {
    slug: 'lost-two-factor-device',
    category: 'account-and-security',
    translations: {
      en: {
        title: 'Lost access to your two-factor device',
        keywords: ['lost phone', 'recovery code', 'new phone', 'authenticator lost', 'reset 2FA', 'backup codes'],
        body: md`
          If your phone was lost, reset or replaced and you can no longer generate codes, there are three ways back into your account.

          ## 1. Use a recovery code
          On the code prompt, click **Use a recovery code** and enter one of the ten codes you saved when you turned on 2FA. Once signed in, go to **Settings → Profile → Security** to set up your new phone and generate fresh codes.

          ## 2. Ask a workspace admin
          If you belong to a team, an owner or admin can reset your second factor: **Settings → Team**, select your name, then **Reset 2FA**. You'll be asked to set it up again at your next sign-in.

          ## 3. Contact support
          If you are the only owner and have no recovery codes, write to support from the email address of the account. To protect your data we verify your identity – usually with the last four digits of the card on file and the date of your last invoice. This takes up to two business days.

          **Tip:** When you switch phones, move your authenticator accounts before wiping the old device.
        `,
      },
      de: {
        title: 'Kein Zugriff mehr auf das 2FA-Gerät',
        keywords: [
          'Handy verloren',
          'Wiederherstellungscode',
          'neues Handy',
          '2FA zurücksetzen',
          'Backup-Codes',
          'Authenticator weg',
        ],
        body: md`
          Wenn Ihr Smartphone verloren, zurückgesetzt oder ausgetauscht wurde und Sie keine Codes mehr erzeugen können, gibt es drei Wege zurück in Ihr Konto.

          ## 1. Wiederherstellungscode verwenden
          Klicken Sie bei der Code-Abfrage auf **Wiederherstellungscode verwenden** und geben Sie einen der zehn Codes ein, die Sie bei der Einrichtung gespeichert haben. Nach der Anmeldung richten Sie unter **Einstellungen → Profil → Sicherheit** das neue Gerät ein und erzeugen neue Codes.

          ## 2. Administrator fragen
          Gehören Sie zu einem Team, kann ein Inhaber oder Administrator Ihren zweiten Faktor zurücksetzen: **Einstellungen → Team**, Ihren Namen auswählen, dann **2FA zurücksetzen**. Bei der nächsten Anmeldung richten Sie 2FA neu ein.

          ## 3. Support kontaktieren
          Sind Sie einziger Inhaber und haben keine Wiederherstellungscodes, schreiben Sie dem Support von der E-Mail-Adresse Ihres Kontos. Zum Schutz Ihrer Daten prüfen wir Ihre Identität – meist anhand der letzten vier Ziffern der hinterlegten Karte und des Datums Ihrer letzten Rechnung. Das dauert bis zu zwei Werktage.

          **Tipp:** Übertragen Sie beim Handywechsel Ihre Authenticator-Konten, bevor Sie das alte Gerät zurücksetzen.
        `,
      },
    },
  },
  {
    slug: 'change-email-address',
    category: 'account-and-security',
    translations: {
      en: {
        title: 'Change the email address you sign in with',
        keywords: ['change email', 'update email', 'new email address', 'username', 'login email'],
        body: md`
          Your email address is your username and the address where we send security notices.

          ## Change it
          1. Go to **Settings → Profile**.
          2. Click **Change** next to your email address.
          3. Enter the new address and confirm with your current password.
          4. We send a confirmation link to the **new** address. The change takes effect only after you click it (the link is valid for 24 hours).

          We also notify the **old** address, so you would notice if someone else tried to take over your account.

          ## Things to know
          - The new address must not already belong to another Northwind Cloud account. If it does, delete or change that account first.
          - If you sign in with Google or Microsoft, your address is managed by that provider. Change it there, or switch to password sign-in first.
          - Your login email is **not** the sender address of invoices you send to customers. That is set under **Settings → Email sending**.
          - Receipts for your subscription go to the billing email, which you can set separately under **Settings → Billing**.
        `,
      },
      de: {
        title: 'E-Mail-Adresse für die Anmeldung ändern',
        keywords: ['E-Mail ändern', 'neue E-Mail-Adresse', 'Benutzername', 'Login-Adresse', 'Mailadresse'],
        body: md`
          Ihre E-Mail-Adresse ist Ihr Benutzername; an sie senden wir auch Sicherheitshinweise.

          ## So ändern Sie sie
          1. Öffnen Sie **Einstellungen → Profil**.
          2. Klicken Sie neben Ihrer E-Mail-Adresse auf **Ändern**.
          3. Geben Sie die neue Adresse ein und bestätigen Sie mit Ihrem aktuellen Passwort.
          4. Wir schicken einen Bestätigungslink an die **neue** Adresse. Erst wenn Sie ihn anklicken, wird die Änderung wirksam (der Link gilt 24 Stunden).

          Die **alte** Adresse erhält ebenfalls eine Benachrichtigung – so merken Sie es, falls jemand versucht, Ihr Konto zu übernehmen.

          ## Gut zu wissen
          - Die neue Adresse darf noch nicht zu einem anderen Northwind-Cloud-Konto gehören. Ist das der Fall, löschen oder ändern Sie dieses Konto zuerst.
          - Melden Sie sich mit Google oder Microsoft an, wird Ihre Adresse dort verwaltet. Ändern Sie sie beim Anbieter oder wechseln Sie vorher zur Anmeldung per Passwort.
          - Die Login-Adresse ist **nicht** der Absender Ihrer Rechnungen an Kunden. Diesen legen Sie unter **Einstellungen → E-Mail-Versand** fest.
          - Belege für Ihr Abonnement gehen an die Rechnungs-E-Mail, die Sie separat unter **Einstellungen → Abrechnung** hinterlegen.
        `,
      },
    },
  },
  {
    slug: 'delete-account',
    category: 'account-and-security',
    translations: {
      en: {
        title: 'Delete your account and workspace',
        keywords: ['delete account', 'close account', 'remove workspace', 'erase data', 'terminate account'],
        body: md`
          There are two different things you might want to delete.

          ## Leave a team (your personal user)
          If you are a member of someone else's workspace, ask an owner or admin to remove you. Your time entries and comments stay in the workspace under your name.

          ## Delete the whole workspace
          Only the **owner** can do this:
          1. Cancel any active subscription first (see [Cancel your subscription](/help/cancel-subscription)).
          2. Export everything you still need – invoices, customers and time entries. After deletion we cannot restore your data.
          3. Go to **Settings → Workspace → Delete workspace**, type the workspace name and confirm with your password.

          The workspace is locked immediately and permanently erased after 30 days. During these 30 days you can change your mind by contacting support. Backups are overwritten within a further 90 days.

          ## What we keep
          We are legally required to keep the invoices **we** issued to you for your subscription for ten years. They contain only your billing details, not your business data.

          **Note:** Tax law in Germany and Austria requires you to keep your own invoices for up to ten years – download them before you delete anything.
        `,
      },
      de: {
        title: 'Konto und Arbeitsbereich löschen',
        keywords: ['Konto löschen', 'Account löschen', 'Arbeitsbereich löschen', 'Daten löschen', 'Konto schließen'],
        body: md`
          Es gibt zwei verschiedene Dinge, die Sie möglicherweise löschen möchten.

          ## Ein Team verlassen (Ihr persönlicher Benutzer)
          Sind Sie Mitglied im Arbeitsbereich einer anderen Person, bitten Sie einen Inhaber oder Administrator, Sie zu entfernen. Ihre Zeiteinträge und Kommentare bleiben unter Ihrem Namen im Arbeitsbereich erhalten.

          ## Den gesamten Arbeitsbereich löschen
          Das kann nur der **Inhaber**:
          1. Kündigen Sie zuerst ein laufendes Abonnement (siehe [Abonnement kündigen](/help/cancel-subscription)).
          2. Exportieren Sie alles, was Sie noch brauchen – Rechnungen, Kunden und Zeiteinträge. Nach dem Löschen können wir nichts wiederherstellen.
          3. Öffnen Sie **Einstellungen → Arbeitsbereich → Arbeitsbereich löschen**, geben Sie den Namen des Arbeitsbereichs ein und bestätigen Sie mit Ihrem Passwort.

          Der Arbeitsbereich wird sofort gesperrt und nach 30 Tagen endgültig gelöscht. Innerhalb dieser 30 Tage können Sie es sich über den Support noch anders überlegen. Sicherungen werden innerhalb weiterer 90 Tage überschrieben.

          ## Was wir aufbewahren
          Die Rechnungen, die **wir** Ihnen für Ihr Abonnement gestellt haben, müssen wir gesetzlich zehn Jahre aufbewahren. Sie enthalten nur Ihre Rechnungsdaten, nicht Ihre Geschäftsdaten.

          **Hinweis:** Auch Sie selbst müssen Ihre Rechnungen nach deutschem und österreichischem Steuerrecht bis zu zehn Jahre aufbewahren – laden Sie sie vor dem Löschen herunter.
        `,
      },
    },
  },
  {
    slug: 'gdpr-data-export-and-retention',
    category: 'account-and-security',
    translations: {
      en: {
        title: 'Export your data and how long we keep it (GDPR)',
        keywords: ['GDPR', 'data export', 'download my data', 'retention', 'DPA', 'data processing agreement', 'privacy'],
        body: md`
          Under the GDPR you have the right to receive a copy of your data and to know how long it is stored.

          ## Export everything
          Owners can go to **Settings → Privacy → Export data** and click **Create export**. We prepare a ZIP file containing:
          - customers, contacts and products as CSV,
          - all invoices and quotes as PDF plus a CSV summary,
          - projects, tasks and time entries as CSV,
          - activity and audit logs as JSON.

          For large workspaces this can take up to an hour. You'll get an email with a download link that is valid for 7 days.

          ## Retention periods
          | Data | Kept for |
          |---|---|
          | Deleted items (trash) | 30 days, then erased |
          | Closed workspaces | 30 days, then erased |
          | Backups | rolling 90 days |
          | Audit logs | 12 months |
          | Our invoices to you | 10 years (tax law) |

          ## Data processing agreement
          A data processing agreement (DPA) under Art. 28 GDPR is part of our terms. You can download a signed copy under **Settings → Privacy → DPA**.

          For requests about your personal data, contact our data protection officer via the privacy page.
        `,
      },
      de: {
        title: 'Datenexport und Aufbewahrungsfristen (DSGVO)',
        keywords: ['DSGVO', 'Datenexport', 'Daten herunterladen', 'Aufbewahrung', 'AVV', 'Auftragsverarbeitung', 'Datenschutz'],
        body: md`
          Nach der DSGVO haben Sie das Recht auf eine Kopie Ihrer Daten und auf Auskunft darüber, wie lange sie gespeichert werden.

          ## Alle Daten exportieren
          Inhaber öffnen **Einstellungen → Datenschutz → Daten exportieren** und klicken auf **Export erstellen**. Wir erstellen eine ZIP-Datei mit:
          - Kunden, Kontakten und Produkten als CSV,
          - allen Rechnungen und Angeboten als PDF sowie einer CSV-Übersicht,
          - Projekten, Aufgaben und Zeiteinträgen als CSV,
          - Aktivitäts- und Audit-Protokollen als JSON.

          Bei großen Arbeitsbereichen kann das bis zu einer Stunde dauern. Sie erhalten eine E-Mail mit einem Download-Link, der 7 Tage gültig ist.

          ## Aufbewahrungsfristen
          | Daten | Aufbewahrung |
          |---|---|
          | Gelöschte Elemente (Papierkorb) | 30 Tage, dann gelöscht |
          | Geschlossene Arbeitsbereiche | 30 Tage, dann gelöscht |
          | Sicherungen | rollierend 90 Tage |
          | Audit-Protokolle | 12 Monate |
          | Unsere Rechnungen an Sie | 10 Jahre (Steuerrecht) |

          ## Auftragsverarbeitungsvertrag
          Ein Auftragsverarbeitungsvertrag (AVV) nach Art. 28 DSGVO ist Teil unserer AGB. Eine unterschriebene Fassung finden Sie unter **Einstellungen → Datenschutz → AVV**.

          Bei Fragen zu Ihren personenbezogenen Daten erreichen Sie unseren Datenschutzbeauftragten über die Datenschutzseite.
        `,
      },
    },
  },
  {
    slug: 'where-is-my-data-hosted',
    category: 'account-and-security',
    translations: {
      en: {
        title: 'Where your data is hosted and how it is protected',
        keywords: ['data location', 'hosting', 'server location', 'Germany', 'EU', 'encryption', 'ISO 27001'],
        body: md`
          ## Location
          All Northwind Cloud data – your account, customers, invoices, files and time entries – is stored in data centres in **Frankfurt am Main, Germany**. Encrypted backups are kept in a second, separate data centre in **Nuremberg, Germany**. Your data does not leave the European Union.

          ## Providers
          Our hosting provider is certified to ISO/IEC 27001 and works for us under a data processing agreement. A full list of sub-processors (email delivery, payment processing, customer support tools) is available on our privacy page; we announce changes 30 days in advance.

          ## Encryption
          - Data in transit is protected with TLS 1.2 or newer.
          - Data at rest, including backups and uploaded files, is encrypted with AES-256.
          - Passwords are never stored in plain text; we store Argon2 hashes.

          ## Access
          Only a small operations team can access production systems, always with two-factor authentication and with every access logged. Support staff can see your workspace only if you grant temporary access under **Settings → Privacy → Support access**.

          ## Availability
          We target 99.9% uptime. Current status and past incidents are published on our status page.
        `,
      },
      de: {
        title: 'Wo Ihre Daten gespeichert werden und wie sie geschützt sind',
        keywords: [
          'Serverstandort',
          'Hosting',
          'Rechenzentrum',
          'Deutschland',
          'Verschlüsselung',
          'ISO 27001',
          'Datensicherheit',
        ],
        body: md`
          ## Standort
          Alle Daten in Northwind Cloud – Ihr Konto, Kunden, Rechnungen, Dateien und Zeiteinträge – liegen in Rechenzentren in **Frankfurt am Main**. Verschlüsselte Sicherungen werden in einem zweiten, getrennten Rechenzentrum in **Nürnberg** aufbewahrt. Ihre Daten verlassen die Europäische Union nicht.

          ## Dienstleister
          Unser Hosting-Anbieter ist nach ISO/IEC 27001 zertifiziert und arbeitet auf Basis eines Auftragsverarbeitungsvertrags für uns. Eine vollständige Liste der Unterauftragsverarbeiter (E-Mail-Versand, Zahlungsabwicklung, Support-Tools) finden Sie auf unserer Datenschutzseite; Änderungen kündigen wir 30 Tage im Voraus an.

          ## Verschlüsselung
          - Bei der Übertragung sind Daten mit TLS 1.2 oder neuer geschützt.
          - Gespeicherte Daten, einschließlich Sicherungen und hochgeladener Dateien, sind mit AES-256 verschlüsselt.
          - Passwörter speichern wir nie im Klartext, sondern als Argon2-Hash.

          ## Zugriff
          Nur ein kleines Betriebsteam hat Zugriff auf die Produktivsysteme – immer mit Zwei-Faktor-Authentifizierung und protokolliert. Der Support sieht Ihren Arbeitsbereich nur, wenn Sie unter **Einstellungen → Datenschutz → Support-Zugriff** vorübergehend Zugriff gewähren.

          ## Verfügbarkeit
          Wir streben eine Verfügbarkeit von 99,9 % an. Aktuelle Störungen und vergangene Vorfälle veröffentlichen wir auf unserer Statusseite.
        `,
      },
    },
  },

  // ---------------------------------------------------------------- billing-and-plans
  {
    slug: 'change-your-plan',
    category: 'billing-and-plans',
    translations: {
      en: {
        title: 'Upgrade or downgrade your plan',
        keywords: ['upgrade', 'downgrade', 'change plan', 'pricing', 'Starter', 'Team plan', 'Business plan', 'yearly billing'],
        body: md`
          Northwind Cloud has three plans:
          - **Starter** – €9/month, 1 user, unlimited invoices.
          - **Team** – €29/month, up to 10 users, projects and time tracking.
          - **Business** – €79/month, unlimited users, API access, single sign-on and priority support.

          With yearly billing you get two months free. Prices exclude VAT.

          ## Change your plan
          Owners and users with the billing permission go to **Settings → Billing → Plan** and click **Change plan**. You see the new price and the amount due today before you confirm.

          ## Upgrades
          An upgrade takes effect immediately. You pay the prorated difference for the rest of the current billing period.

          ## Downgrades
          A downgrade takes effect at the end of the current billing period; you keep all features until then. If your team has more users than the smaller plan allows, deactivate users first. Features not included in the new plan (for example the API) are switched off, but your data is kept.

          ## Monthly or yearly
          You can switch from monthly to yearly billing at any time. A switch from yearly to monthly takes effect at your next renewal date.
        `,
      },
      de: {
        title: 'Tarif wechseln: Upgrade oder Downgrade',
        keywords: ['Tarif wechseln', 'Upgrade', 'Downgrade', 'Preise', 'Paket ändern', 'jährliche Zahlung', 'Abo ändern'],
        body: md`
          Northwind Cloud bietet drei Tarife:
          - **Starter** – 9 €/Monat, 1 Nutzer, unbegrenzt viele Rechnungen.
          - **Team** – 29 €/Monat, bis zu 10 Nutzer, Projekte und Zeiterfassung.
          - **Business** – 79 €/Monat, beliebig viele Nutzer, API-Zugang, Single Sign-on und bevorzugter Support.

          Bei jährlicher Zahlung erhalten Sie zwei Monate gratis. Alle Preise verstehen sich zzgl. MwSt.

          ## Tarif ändern
          Inhaber und Nutzer mit Abrechnungsrechten öffnen **Einstellungen → Abrechnung → Tarif** und klicken auf **Tarif ändern**. Vor der Bestätigung sehen Sie den neuen Preis und den heute fälligen Betrag.

          ## Upgrade
          Ein Upgrade gilt sofort. Sie zahlen anteilig die Differenz für den Rest des laufenden Abrechnungszeitraums.

          ## Downgrade
          Ein Downgrade wird zum Ende des aktuellen Abrechnungszeitraums wirksam; bis dahin behalten Sie alle Funktionen. Hat Ihr Team mehr Nutzer, als der kleinere Tarif erlaubt, deaktivieren Sie zuerst Nutzer. Funktionen, die der neue Tarif nicht enthält (etwa die API), werden abgeschaltet – Ihre Daten bleiben erhalten.

          ## Monatlich oder jährlich
          Von monatlicher auf jährliche Zahlung können Sie jederzeit wechseln. Der Wechsel von jährlich auf monatlich gilt ab dem nächsten Verlängerungsdatum.
        `,
      },
    },
  },
  {
    slug: 'cancel-subscription',
    category: 'billing-and-plans',
    translations: {
      en: {
        title: 'Cancel your subscription',
        keywords: ['cancel', 'cancel subscription', 'end plan', 'stop paying', 'unsubscribe', 'terminate contract'],
        body: md`
          You can cancel at any time – monthly plans have no minimum term.

          ## How to cancel
          1. Sign in as the workspace **owner**.
          2. Go to **Settings → Billing → Plan** and click **Cancel subscription**.
          3. Tell us briefly why you're leaving (optional, but it helps us improve) and confirm.

          You'll receive a confirmation email. If none arrives within an hour, the cancellation was not completed.

          ## What happens next
          - Your subscription stays active until the end of the period you've already paid for. There is no automatic refund for the remaining time; see [Refund policy](/help/refund-policy).
          - After that, the workspace switches to **read-only** for 90 days. You can still sign in, view and download invoices and export your data, but you can't create new documents.
          - After 90 days in read-only mode, the workspace is deleted.

          ## Changed your mind?
          Until the end of the billing period, click **Resume subscription** on the same page and nothing changes. Later on, simply choose a plan again – your data is still there during the read-only period.

          A card reader you bought is yours to keep; cancelling the software doesn't affect it.
        `,
      },
      de: {
        title: 'Abonnement kündigen',
        keywords: ['kündigen', 'Kündigung', 'Abo kündigen', 'Vertrag beenden', 'Abonnement beenden', 'nicht mehr zahlen'],
        body: md`
          Sie können jederzeit kündigen – monatliche Tarife haben keine Mindestlaufzeit.

          ## So kündigen Sie
          1. Melden Sie sich als **Inhaber** des Arbeitsbereichs an.
          2. Öffnen Sie **Einstellungen → Abrechnung → Tarif** und klicken Sie auf **Abonnement kündigen**.
          3. Nennen Sie uns kurz den Grund (freiwillig, hilft uns aber sehr) und bestätigen Sie.

          Sie erhalten eine Bestätigung per E-Mail. Kommt innerhalb einer Stunde keine, wurde die Kündigung nicht abgeschlossen.

          ## Was danach passiert
          - Ihr Abonnement läuft bis zum Ende des bereits bezahlten Zeitraums weiter. Für die Restlaufzeit gibt es keine automatische Erstattung; siehe [Rückerstattungen](/help/refund-policy).
          - Danach ist der Arbeitsbereich 90 Tage lang **schreibgeschützt**. Sie können sich weiterhin anmelden, Rechnungen ansehen und herunterladen und Ihre Daten exportieren, aber keine neuen Dokumente erstellen.
          - Nach diesen 90 Tagen wird der Arbeitsbereich gelöscht.

          ## Doch anders entschieden?
          Bis zum Ende des Abrechnungszeitraums klicken Sie auf derselben Seite einfach auf **Abonnement fortsetzen** – dann ändert sich nichts. Später wählen Sie einfach wieder einen Tarif; während der Nur-Lesen-Phase sind Ihre Daten noch vorhanden.

          Ein gekauftes Kartenlesegerät gehört Ihnen; die Kündigung der Software betrifft es nicht.
        `,
      },
    },
  },
  {
    slug: 'refund-policy',
    category: 'billing-and-plans',
    translations: {
      en: {
        title: 'Refund policy for subscriptions',
        keywords: ['refund', 'money back', 'charged twice', 'reimbursement', 'double charge', 'prorated refund'],
        body: md`
          ## Monthly plans
          Monthly payments are not refunded once a billing period has started. When you cancel, you keep access until the end of the month you paid for.

          ## Yearly plans
          If you cancel a yearly plan **within 14 days** of the first payment or of a renewal, we refund the full amount. After 14 days, we refund the unused full months minus a discount adjustment: for the months already used you pay the monthly price instead of the discounted yearly rate.

          ## Charged by mistake?
          We refund in full if:
          - you were charged after cancelling in time,
          - you were charged twice for the same period, or
          - a downgrade was not applied because of an error on our side.

          ## How to request a refund
          Send a message to support from the owner's email address and include the invoice number (e.g. NW-2024-04817), which you'll find under **Settings → Billing → Invoices**. Refunds go back to the original payment method and usually arrive within 5–10 business days.

          Different rules apply to the card reader and other hardware – see [Returns and damaged items](/help/return-or-damaged-item).
        `,
      },
      de: {
        title: 'Rückerstattungen bei Abonnements',
        keywords: ['Rückerstattung', 'Geld zurück', 'doppelt abgebucht', 'Erstattung', 'zu viel bezahlt', 'anteilige Erstattung'],
        body: md`
          ## Monatliche Tarife
          Monatliche Zahlungen werden nach Beginn eines Abrechnungszeitraums nicht erstattet. Nach einer Kündigung können Sie Northwind Cloud bis zum Ende des bezahlten Monats nutzen.

          ## Jährliche Tarife
          Kündigen Sie einen Jahrestarif **innerhalb von 14 Tagen** nach der ersten Zahlung oder einer Verlängerung, erstatten wir den vollen Betrag. Danach erstatten wir die nicht genutzten vollen Monate abzüglich eines Rabattausgleichs: Für die bereits genutzten Monate zahlen Sie den Monatspreis statt des vergünstigten Jahrespreises.

          ## Versehentlich abgebucht?
          Wir erstatten vollständig, wenn
          - nach fristgerechter Kündigung noch abgebucht wurde,
          - derselbe Zeitraum doppelt berechnet wurde oder
          - ein Downgrade wegen eines Fehlers bei uns nicht übernommen wurde.

          ## Erstattung anfordern
          Schreiben Sie dem Support von der E-Mail-Adresse des Inhabers und nennen Sie die Rechnungsnummer (z. B. NW-2024-04817). Sie finden sie unter **Einstellungen → Abrechnung → Rechnungen**. Das Geld geht an die ursprüngliche Zahlungsart zurück und ist meist nach 5–10 Werktagen da.

          Für das Kartenlesegerät und andere Hardware gelten eigene Regeln – siehe [Rücksendung und beschädigte Ware](/help/return-or-damaged-item).
        `,
      },
    },
  },
  {
    slug: 'nonprofit-discount',
    category: 'billing-and-plans',
    translations: {
      en: {
        title: 'Discounts for nonprofits, charities and schools',
        keywords: ['nonprofit', 'charity', 'NGO', 'discount', 'education', 'school', 'non-profit pricing'],
        body: md`
          ## Nonprofits and charities
          Registered nonprofit organisations get **50% off** the Team and Business plans, billed monthly or yearly. In Germany this includes registered associations (e. V.) and gGmbHs with a current exemption notice (Freistellungsbescheid).

          ## Schools and universities
          Public schools, universities and their student projects can use the Team plan free of charge for up to 10 users.

          ## How to apply
          1. Start a free trial, or sign in to your workspace as the owner.
          2. Go to **Settings → Billing → Discounts** and click **Apply for a discount**.
          3. Upload proof of your status – for example a registration certificate, an exemption notice or a confirmation from your institution – as a PDF or image.

          We review applications within three business days. Once approved, the discount applies from your next invoice; we don't apply it retroactively.

          ## Good to know
          - The discount is renewed every year; we'll ask for updated proof 30 days before it expires.
          - It can't be combined with other promotions.
          - The card reader and other hardware are not discounted.
        `,
      },
      de: {
        title: 'Rabatte für gemeinnützige Organisationen und Bildungseinrichtungen',
        keywords: ['gemeinnützig', 'Verein', 'e. V.', 'Rabatt', 'NGO', 'Schule', 'Bildungsrabatt'],
        body: md`
          ## Gemeinnützige Organisationen
          Eingetragene gemeinnützige Organisationen erhalten **50 % Rabatt** auf die Tarife Team und Business – bei monatlicher wie jährlicher Zahlung. In Deutschland gilt das zum Beispiel für eingetragene Vereine (e. V.) und gGmbHs mit aktuellem Freistellungsbescheid.

          ## Schulen und Hochschulen
          Öffentliche Schulen, Hochschulen und deren studentische Projekte nutzen den Team-Tarif für bis zu 10 Nutzer kostenlos.

          ## So beantragen Sie den Rabatt
          1. Starten Sie eine kostenlose Testphase oder melden Sie sich als Inhaber an.
          2. Öffnen Sie **Einstellungen → Abrechnung → Rabatte** und klicken Sie auf **Rabatt beantragen**.
          3. Laden Sie einen Nachweis hoch – etwa einen Vereinsregisterauszug, den Freistellungsbescheid oder eine Bestätigung Ihrer Einrichtung – als PDF oder Bild.

          Wir prüfen Anträge innerhalb von drei Werktagen. Nach der Freigabe gilt der Rabatt ab der nächsten Rechnung; rückwirkend wird er nicht gewährt.

          ## Gut zu wissen
          - Der Rabatt wird jährlich verlängert; 30 Tage vor Ablauf bitten wir um einen aktuellen Nachweis.
          - Er ist nicht mit anderen Aktionen kombinierbar.
          - Für das Kartenlesegerät und andere Hardware gibt es keinen Rabatt.
        `,
      },
    },
  },
  {
    slug: 'accepted-payment-methods',
    category: 'billing-and-plans',
    translations: {
      en: {
        title: 'How you can pay for Northwind Cloud',
        keywords: ['payment methods', 'credit card', 'SEPA', 'direct debit', 'PayPal', 'bank transfer', 'update card'],
        body: md`
          This article is about paying for **your Northwind Cloud subscription**. To let your own customers pay you online, see [Connect Stripe or PayPal](/help/connect-stripe-or-paypal).

          ## Accepted payment methods
          - **Credit and debit cards**: Visa, Mastercard and American Express.
          - **SEPA Direct Debit** from a bank account in the euro area.
          - **PayPal**.
          - **Bank transfer** against invoice – yearly Business plans only.

          We don't accept cheques or cash.

          ## Change your payment method
          Go to **Settings → Billing → Payment method** and click **Update**. The new method is used from the next charge. If a payment is currently overdue, we try the new method straight away.

          ## Strong customer authentication
          European banks may ask you to confirm card payments in your banking app (3-D Secure). For renewals this usually happens silently, but occasionally your bank asks again – we'll email you a link.

          ## Billing address
          The company name, address and VAT ID on our invoices can be edited under **Settings → Billing → Billing details**. Changes apply to future invoices.
        `,
      },
      de: {
        title: 'So bezahlen Sie Northwind Cloud',
        keywords: ['Zahlungsarten', 'Kreditkarte', 'Lastschrift', 'SEPA', 'PayPal', 'Überweisung', 'Karte ändern'],
        body: md`
          In diesem Artikel geht es um die Bezahlung **Ihres Northwind-Cloud-Abonnements**. Wie Ihre eigenen Kunden Sie online bezahlen können, lesen Sie unter [Stripe oder PayPal verbinden](/help/connect-stripe-or-paypal).

          ## Akzeptierte Zahlungsarten
          - **Kredit- und Debitkarten**: Visa, Mastercard und American Express.
          - **SEPA-Lastschrift** von einem Konto im Euroraum.
          - **PayPal**.
          - **Überweisung** auf Rechnung – nur bei jährlichen Business-Tarifen.

          Schecks und Barzahlung akzeptieren wir nicht.

          ## Zahlungsart ändern
          Öffnen Sie **Einstellungen → Abrechnung → Zahlungsart** und klicken Sie auf **Aktualisieren**. Die neue Zahlungsart gilt ab der nächsten Abbuchung. Ist gerade eine Zahlung überfällig, versuchen wir es sofort mit der neuen Zahlungsart.

          ## Starke Kundenauthentifizierung
          Europäische Banken verlangen eventuell, dass Sie Kartenzahlungen in Ihrer Banking-App bestätigen (3-D Secure). Bei Verlängerungen geschieht das meist unbemerkt; fragt Ihre Bank doch einmal nach, schicken wir Ihnen einen Link per E-Mail.

          ## Rechnungsadresse
          Firmenname, Anschrift und USt-IdNr. auf unseren Rechnungen ändern Sie unter **Einstellungen → Abrechnung → Rechnungsdaten**. Änderungen gelten für künftige Rechnungen.
        `,
      },
    },
  },
  {
    slug: 'failed-payment-card-declined',
    category: 'billing-and-plans',
    translations: {
      en: {
        title: 'What to do when a subscription payment fails',
        keywords: [
          'payment failed',
          'card declined',
          'expired card',
          'declined',
          'insufficient funds',
          'returned debit',
          'read-only',
        ],
        body: md`
          If we can't collect your subscription fee, you'll get an email and see a banner in the app. Your workspace keeps working while we retry.

          ## Common reasons
          - The card has **expired** or was replaced by your bank.
          - The bank **declined** the charge, e.g. because of a spending limit or because the 3-D Secure confirmation wasn't completed.
          - **Insufficient funds** or a returned SEPA direct debit.
          - The card isn't enabled for online or foreign-currency payments.

          ## Fix it
          1. Go to **Settings → Billing → Payment method** and update your card or bank details.
          2. Click **Retry payment**. If your bank asks for confirmation, approve it in your banking app.
          3. Still declined? Call your bank – only they can see the exact reason; we just receive a generic "declined" code.

          ## Retry schedule
          We retry automatically after 3, 5 and 7 days. If all attempts fail, the workspace becomes **read-only** 14 days after the first failed attempt. Nothing is deleted: as soon as the payment goes through, full access is restored.

          Returned SEPA debits may incur a bank fee of €3, which we add to your next invoice.
        `,
      },
      de: {
        title: 'Zahlung fehlgeschlagen – was tun?',
        keywords: [
          'Zahlung fehlgeschlagen',
          'Karte abgelehnt',
          'Karte abgelaufen',
          'Rücklastschrift',
          'abgelehnt',
          'keine Deckung',
        ],
        body: md`
          Können wir Ihre Abogebühr nicht einziehen, erhalten Sie eine E-Mail und sehen einen Hinweis in der App. Während wir es erneut versuchen, funktioniert Ihr Arbeitsbereich ganz normal weiter.

          ## Häufige Ursachen
          - Die Karte ist **abgelaufen** oder wurde von Ihrer Bank ersetzt.
          - Die Bank hat die Zahlung **abgelehnt**, etwa wegen eines Limits oder weil die 3-D-Secure-Bestätigung nicht abgeschlossen wurde.
          - **Keine Deckung** oder eine zurückgegebene SEPA-Lastschrift.
          - Die Karte ist nicht für Online- oder Fremdwährungszahlungen freigeschaltet.

          ## So beheben Sie das Problem
          1. Aktualisieren Sie unter **Einstellungen → Abrechnung → Zahlungsart** Ihre Karten- oder Kontodaten.
          2. Klicken Sie auf **Zahlung erneut versuchen**. Fragt Ihre Bank nach einer Bestätigung, geben Sie die Zahlung in Ihrer Banking-App frei.
          3. Wird sie weiterhin abgelehnt, rufen Sie Ihre Bank an – nur sie kennt den genauen Grund, wir erhalten lediglich einen allgemeinen Ablehnungscode.

          ## Erneute Versuche
          Wir versuchen es automatisch nach 3, 5 und 7 Tagen erneut. Schlagen alle Versuche fehl, wird der Arbeitsbereich 14 Tage nach dem ersten Fehlversuch **schreibgeschützt**. Gelöscht wird nichts: Sobald die Zahlung eingeht, ist der volle Zugriff wiederhergestellt.

          Für zurückgegebene Lastschriften kann eine Bankgebühr von 3 € anfallen, die wir mit der nächsten Rechnung berechnen.
        `,
      },
    },
  },
  {
    slug: 'subscription-invoices-and-receipts',
    category: 'billing-and-plans',
    translations: {
      en: {
        title: 'Download invoices for your Northwind Cloud subscription',
        keywords: ['receipt', 'billing history', 'Northwind invoice', 'subscription invoice', 'bookkeeping', 'reverse charge'],
        body: md`
          Every payment for your subscription or hardware comes with a proper VAT invoice from Northwind Cloud GmbH.

          ## Find your receipts
          Go to **Settings → Billing → Invoices**. You'll see all past invoices with date, amount and status. Click an invoice to download it as a PDF, or **Download all** to get a ZIP file for a whole year.

          Only owners and users with the **Billing** permission can see this page.

          ## Send them to your bookkeeping automatically
          Under **Settings → Billing → Billing details** you can enter a separate **billing email**, e.g. your bookkeeping inbox. Every new invoice is emailed there as a PDF attachment.

          ## Change the details on the invoice
          The company name, address and VAT ID shown on our invoices come from your billing details. Changes apply to future invoices. If a past invoice needs to be corrected (for example because the VAT ID was missing), contact support with the invoice number – we'll issue a corrected invoice.

          ## Reverse charge
          Businesses in other EU countries with a valid VAT ID are invoiced without German VAT under the reverse-charge procedure.

          Looking for invoices you sent to your own customers? See [Export invoices as PDF or CSV](/help/export-invoices-pdf-csv).
        `,
      },
      de: {
        title: 'Rechnungen für Ihr Northwind-Cloud-Abonnement herunterladen',
        keywords: ['Beleg', 'Quittung', 'Rechnung von Northwind', 'Abo-Rechnung', 'Buchhaltung', 'Reverse-Charge'],
        body: md`
          Für jede Zahlung – Abonnement oder Hardware – erhalten Sie eine ordnungsgemäße Rechnung der Northwind Cloud GmbH mit ausgewiesener Umsatzsteuer.

          ## Belege finden
          Öffnen Sie **Einstellungen → Abrechnung → Rechnungen**. Dort sehen Sie alle bisherigen Rechnungen mit Datum, Betrag und Status. Per Klick laden Sie eine Rechnung als PDF herunter; mit **Alle herunterladen** erhalten Sie ein ZIP-Archiv für ein ganzes Jahr.

          Diese Seite sehen nur Inhaber und Nutzer mit der Berechtigung **Abrechnung**.

          ## Automatisch an die Buchhaltung senden
          Unter **Einstellungen → Abrechnung → Rechnungsdaten** können Sie eine eigene **Rechnungs-E-Mail** hinterlegen, etwa das Postfach Ihrer Buchhaltung. Jede neue Rechnung wird dann als PDF-Anhang dorthin geschickt.

          ## Angaben auf der Rechnung ändern
          Firmenname, Anschrift und USt-IdNr. stammen aus Ihren Rechnungsdaten. Änderungen gelten für künftige Rechnungen. Muss eine bereits ausgestellte Rechnung korrigiert werden (z. B. wegen fehlender USt-IdNr.), schreiben Sie dem Support mit der Rechnungsnummer – wir stellen eine korrigierte Rechnung aus.

          ## Reverse-Charge
          Unternehmen in anderen EU-Ländern mit gültiger USt-IdNr. erhalten Rechnungen ohne deutsche Umsatzsteuer im Reverse-Charge-Verfahren.

          Sie suchen Rechnungen an Ihre eigenen Kunden? Siehe [Rechnungen als PDF oder CSV exportieren](/help/export-invoices-pdf-csv).
        `,
      },
    },
  },
  {
    slug: 'free-trial',
    category: 'billing-and-plans',
    translations: {
      en: {
        title: 'How the free trial works',
        keywords: ['free trial', 'trial', 'test account', 'trial ends', 'try for free', 'extend trial'],
        body: md`
          Every new workspace starts with a **14-day free trial** of the Business plan, so you can try every feature, including projects, time tracking, the API and the mobile app.

          ## No credit card needed
          You don't have to enter payment details to start, and we never charge you automatically when the trial ends.

          ## During the trial
          - Invite as many teammates as you like.
          - Documents you send carry a small "Created with Northwind Cloud" note in the footer, which disappears once you subscribe.
          - Online payments via Stripe or PayPal work just like in a paid plan.

          ## When the trial ends
          Choose a plan under **Settings → Billing → Plan** and add a payment method. Everything you created during the trial is kept.

          If you don't choose a plan, the workspace becomes read-only. You can still sign in and download your data for 60 days; after that, the workspace is deleted.

          ## Need more time?
          If you're still evaluating, ask support for an extension – we can usually add another 14 days once.
        `,
      },
      de: {
        title: 'So funktioniert die kostenlose Testphase',
        keywords: ['Testphase', 'kostenlos testen', 'Probezeitraum', 'Test verlängern', 'Testversion', 'gratis'],
        body: md`
          Jeder neue Arbeitsbereich startet mit einer **14-tägigen kostenlosen Testphase** des Business-Tarifs. So können Sie alle Funktionen ausprobieren – einschließlich Projekten, Zeiterfassung, API und mobiler App.

          ## Keine Kreditkarte nötig
          Zum Start müssen Sie keine Zahlungsdaten angeben, und am Ende der Testphase buchen wir nie automatisch etwas ab.

          ## Während der Testphase
          - Laden Sie so viele Teammitglieder ein, wie Sie möchten.
          - Versendete Dokumente tragen in der Fußzeile einen kleinen Hinweis „Erstellt mit Northwind Cloud“, der nach Abschluss eines Abos verschwindet.
          - Online-Zahlungen über Stripe oder PayPal funktionieren wie in einem bezahlten Tarif.

          ## Nach der Testphase
          Wählen Sie unter **Einstellungen → Abrechnung → Tarif** einen Tarif und hinterlegen Sie eine Zahlungsart. Alles, was Sie in der Testphase angelegt haben, bleibt erhalten.

          Wählen Sie keinen Tarif, wird der Arbeitsbereich schreibgeschützt. Sie können sich noch 60 Tage lang anmelden und Ihre Daten herunterladen; danach wird der Arbeitsbereich gelöscht.

          ## Mehr Zeit nötig?
          Brauchen Sie für Ihre Entscheidung länger, fragen Sie den Support nach einer Verlängerung – in der Regel ist einmalig eine Verlängerung um 14 Tage möglich.
        `,
      },
    },
  },

  // ---------------------------------------------------------------- invoices-and-payments
  {
    slug: 'export-invoices-pdf-csv',
    category: 'invoices-and-payments',
    translations: {
      en: {
        title: 'Export invoices as PDF or CSV',
        keywords: ['export', 'download invoices', 'PDF', 'CSV', 'Excel', 'DATEV', 'bulk download'],
        body: md`
          You can download single invoices or export many at once, for example for your tax advisor or your tax return.

          ## A single invoice
          Open the invoice and click **Download PDF**. The PDF is exactly what your customer received, including your logo and payment details.

          ## Many invoices at once
          1. Go to **Invoices** and filter the list, e.g. by date range, customer or status (paid, open, overdue).
          2. Select the invoices, or tick the box in the header to select all matching ones.
          3. Click **Export** and choose a format:
             - **PDF (ZIP)** – one PDF per invoice, bundled in a ZIP file.
             - **CSV** – one row per invoice with number, date, customer, net, tax, gross and status. Choose **Line items** to get one row per position instead.
             - **DATEV** – a booking batch for German tax advisors.

          Exports with more than 500 invoices are prepared in the background; we email you a download link.

          ## Opening CSV files in Excel
          The CSV file uses UTF-8 and semicolons when your language is German, commas otherwise. If umlauts look broken, use **Data → From Text/CSV** in Excel instead of double-clicking the file.
        `,
      },
      de: {
        title: 'Rechnungen als PDF oder CSV exportieren',
        keywords: ['Export', 'Rechnungen herunterladen', 'PDF', 'CSV', 'Excel', 'DATEV', 'Steuerberater'],
        body: md`
          Sie können einzelne Rechnungen herunterladen oder viele auf einmal exportieren – etwa für Ihr Steuerbüro oder die Steuererklärung.

          ## Einzelne Rechnung
          Öffnen Sie die Rechnung und klicken Sie auf **PDF herunterladen**. Das PDF entspricht genau dem, was Ihr Kunde erhalten hat, inklusive Logo und Zahlungsinformationen.

          ## Mehrere Rechnungen auf einmal
          1. Öffnen Sie **Rechnungen** und filtern Sie die Liste, z. B. nach Zeitraum, Kunde oder Status (bezahlt, offen, überfällig).
          2. Wählen Sie die Rechnungen aus oder setzen Sie das Häkchen in der Kopfzeile, um alle Treffer auszuwählen.
          3. Klicken Sie auf **Exportieren** und wählen Sie ein Format:
             - **PDF (ZIP)** – ein PDF pro Rechnung, gebündelt in einer ZIP-Datei.
             - **CSV** – eine Zeile pro Rechnung mit Nummer, Datum, Kunde, Netto, Steuer, Brutto und Status. Mit **Positionen** erhalten Sie stattdessen eine Zeile pro Rechnungsposition.
             - **DATEV** – ein Buchungsstapel für Ihre Steuerberatung.

          Exporte mit mehr als 500 Rechnungen werden im Hintergrund erstellt; den Download-Link schicken wir Ihnen per E-Mail.

          ## CSV in Excel öffnen
          Die CSV-Datei ist UTF-8-kodiert und nutzt bei deutscher Spracheinstellung Semikolons, sonst Kommas. Werden Umlaute falsch angezeigt, öffnen Sie die Datei in Excel über **Daten → Aus Text/CSV** statt per Doppelklick.
        `,
      },
    },
  },
  {
    slug: 'vat-and-tax-ids-on-invoices',
    category: 'invoices-and-payments',
    translations: {
      en: {
        title: 'VAT rates and tax IDs on your invoices',
        keywords: ['VAT', 'VAT ID', 'tax number', 'sales tax', 'reverse charge', 'tax rate', 'small business'],
        body: md`
          ## Add your own tax numbers
          Go to **Settings → Company → Tax** and enter your **VAT ID** (e.g. DE123456789) and, if you have one, your national tax number. Both appear in the invoice footer. German invoices must show at least one of them.

          ## Tax rates
          Northwind Cloud includes the standard and reduced rates of all EU countries (in Germany 19% and 7%). You can add custom rates and set a default rate per product or per customer.

          ## Customer VAT IDs and reverse charge
          Add your customer's VAT ID to their profile. When you invoice a business in another EU country, choose the tax rule **Reverse charge**: the invoice shows 0% VAT and the required note "Reverse charge – VAT liability of the recipient". We check the ID against the EU's VIES database when you save it.

          ## Small businesses (Kleinunternehmer)
          If you use the German small business rule (§ 19 UStG), enable **Small business – no VAT** under **Settings → Company → Tax**. Invoices then show no VAT and include the legally required note.

          ## Customers outside the EU
          For customers outside the EU, choose **Export – not taxable** to show 0% VAT.
        `,
      },
      de: {
        title: 'Umsatzsteuer und Steuernummern auf Rechnungen',
        keywords: ['Umsatzsteuer', 'Mehrwertsteuer', 'USt-IdNr', 'Steuernummer', 'Reverse-Charge', 'Kleinunternehmer', 'MwSt'],
        body: md`
          ## Eigene Steuernummern hinterlegen
          Unter **Einstellungen → Unternehmen → Steuern** tragen Sie Ihre **USt-IdNr.** (z. B. DE123456789) und gegebenenfalls Ihre Steuernummer ein. Beide erscheinen in der Fußzeile der Rechnung. Auf deutschen Rechnungen muss mindestens eine davon stehen.

          ## Steuersätze
          Northwind Cloud kennt die Regel- und ermäßigten Steuersätze aller EU-Länder (in Deutschland 19 % und 7 %). Sie können eigene Sätze anlegen und einen Standardsatz pro Produkt oder Kunde festlegen.

          ## USt-IdNr. des Kunden und Reverse-Charge
          Tragen Sie die USt-IdNr. Ihres Kunden in seinem Profil ein. Stellen Sie einem Unternehmen in einem anderen EU-Land eine Rechnung, wählen Sie die Steuerregel **Reverse-Charge**: Die Rechnung weist 0 % aus und enthält den Pflichthinweis „Steuerschuldnerschaft des Leistungsempfängers“. Beim Speichern prüfen wir die Nummer über die EU-Datenbank VIES.

          ## Kleinunternehmerregelung
          Nutzen Sie die Kleinunternehmerregelung nach § 19 UStG, aktivieren Sie unter **Einstellungen → Unternehmen → Steuern** die Option **Kleinunternehmer – keine Umsatzsteuer**. Rechnungen enthalten dann keine Umsatzsteuer und den vorgeschriebenen Hinweis.

          ## Kunden außerhalb der EU
          Für Kunden außerhalb der EU wählen Sie **Ausfuhr – nicht steuerbar**; die Rechnung weist dann 0 % aus.
        `,
      },
    },
  },
  {
    slug: 'set-up-recurring-invoices',
    kind: 'tutorial',
    category: 'invoices-and-payments',
    translations: {
      en: {
        title: 'Set up recurring invoices for retainers and maintenance fees',
        keywords: [
          'recurring invoice',
          'repeat invoice',
          'monthly invoice',
          'retainer',
          'subscription billing',
          'automatic invoice',
        ],
        body: md`
          Do you bill the same customer regularly – a monthly maintenance fee, a retainer or a yearly licence? A recurring invoice creates those invoices for you on a fixed schedule. Follow these steps to set up your first series.
        `,
        steps: [
          {
            id: 'start',
            title: 'Start from a template invoice',
            body: md`
              Go to **Invoices → Recurring → New series**, or open an existing invoice and choose **More → Make recurring**.

              Pick the customer and add the line items that should appear on every invoice. Use placeholders such as **{month}** and **{year}** in item descriptions – *Maintenance {month} {year}* becomes *Maintenance March 2025*.
            `,
            next: 'schedule',
          },
          {
            id: 'schedule',
            title: 'Choose the schedule',
            body: md`
              Set how often the invoice is created: weekly, monthly, quarterly, every six months or yearly. Choose the **first invoice date** and when the series ends – never, after a number of invoices, or on a specific date.

              Invoices are created at 06:00 in your workspace's time zone. If a day doesn't exist in a month (e.g. the 31st), the last day of that month is used.
            `,
            next: 'delivery',
          },
          {
            id: 'delivery',
            title: 'Decide how invoices are sent',
            body: 'Should Northwind Cloud send each invoice straight to your customer, or create it as a draft so you can check it first?',
            choices: [
              { label: 'Send automatically by email', next: 'auto-send' },
              { label: 'Create drafts for me to review', next: 'drafts' },
            ],
          },
          {
            id: 'auto-send',
            title: 'Automatic sending',
            body: md`
              Each invoice is finalised and emailed to the customer's billing contact using your **Recurring invoice** email template.

              If the customer has saved a card or SEPA mandate via Stripe, tick **Charge automatically** to collect the payment on the invoice date. Otherwise the invoice contains your usual **Pay now** link.
            `,
            next: 'activate',
          },
          {
            id: 'drafts',
            title: 'Review drafts',
            body: md`
              Each period, a draft appears under **Invoices → Drafts** and you receive an email. Add variable items such as extra hours, then finalise and send the invoice as usual.

              Drafts you don't send stay in the list – they never go out by themselves.
            `,
            next: 'activate',
          },
          {
            id: 'activate',
            title: 'Activate the series',
            body: md`
              Click **Save and activate**. The series now appears under **Invoices → Recurring** together with the date of the next invoice.

              You can pause, edit or end the series at any time; changes only apply to future invoices.
            `,
          },
        ],
      },
      de: {
        title: 'Wiederkehrende Rechnungen für Pauschalen und Wartungsverträge einrichten',
        keywords: [
          'wiederkehrende Rechnung',
          'Serienrechnung',
          'Abo-Rechnung',
          'monatliche Rechnung',
          'Dauerrechnung',
          'automatische Rechnung',
        ],
        body: md`
          Sie stellen einem Kunden regelmäßig dasselbe in Rechnung – eine monatliche Wartungspauschale, einen Betreuungsvertrag oder eine Jahreslizenz? Eine wiederkehrende Rechnung erstellt diese Rechnungen für Sie nach festem Zeitplan. So richten Sie Ihre erste Serie ein.
        `,
        steps: [
          {
            id: 'start',
            title: 'Mit einer Vorlage beginnen',
            body: md`
              Öffnen Sie **Rechnungen → Wiederkehrend → Neue Serie** oder wählen Sie bei einer bestehenden Rechnung **Mehr → Wiederkehrend machen**.

              Wählen Sie den Kunden und fügen Sie die Positionen hinzu, die auf jeder Rechnung stehen sollen. Mit Platzhaltern wie **{monat}** und **{jahr}** in der Beschreibung wird aus *Wartung {monat} {jahr}* automatisch *Wartung März 2025*.
            `,
            next: 'schedule',
          },
          {
            id: 'schedule',
            title: 'Zeitplan festlegen',
            body: md`
              Legen Sie fest, wie oft die Rechnung erstellt wird: wöchentlich, monatlich, vierteljährlich, halbjährlich oder jährlich. Wählen Sie das **erste Rechnungsdatum** und wann die Serie endet – nie, nach einer bestimmten Anzahl von Rechnungen oder an einem Datum.

              Rechnungen werden um 06:00 Uhr in der Zeitzone Ihres Arbeitsbereichs erstellt. Gibt es einen Tag in einem Monat nicht (z. B. den 31.), wird der letzte Tag des Monats verwendet.
            `,
            next: 'delivery',
          },
          {
            id: 'delivery',
            title: 'Versand festlegen',
            body: 'Soll Northwind Cloud jede Rechnung direkt an Ihren Kunden senden oder zunächst als Entwurf anlegen, damit Sie sie prüfen können?',
            choices: [
              { label: 'Automatisch per E-Mail senden', next: 'auto-send' },
              { label: 'Als Entwurf zur Prüfung anlegen', next: 'drafts' },
            ],
          },
          {
            id: 'auto-send',
            title: 'Automatischer Versand',
            body: md`
              Jede Rechnung wird festgeschrieben und mit Ihrer E-Mail-Vorlage **Wiederkehrende Rechnung** an den Rechnungskontakt des Kunden geschickt.

              Hat der Kunde über Stripe eine Karte oder ein SEPA-Mandat hinterlegt, aktivieren Sie **Automatisch abbuchen**, um den Betrag am Rechnungsdatum einzuziehen. Andernfalls enthält die Rechnung wie gewohnt den Link **Jetzt bezahlen**.
            `,
            next: 'activate',
          },
          {
            id: 'drafts',
            title: 'Entwürfe prüfen',
            body: md`
              In jedem Zeitraum erscheint ein Entwurf unter **Rechnungen → Entwürfe**, und Sie erhalten eine E-Mail. Ergänzen Sie variable Positionen wie zusätzliche Stunden, schreiben Sie die Rechnung fest und versenden Sie sie wie gewohnt.

              Nicht versendete Entwürfe bleiben in der Liste – sie gehen nie von selbst raus.
            `,
            next: 'activate',
          },
          {
            id: 'activate',
            title: 'Serie aktivieren',
            body: md`
              Klicken Sie auf **Speichern und aktivieren**. Die Serie erscheint nun unter **Rechnungen → Wiederkehrend** mit dem Datum der nächsten Rechnung.

              Sie können die Serie jederzeit pausieren, bearbeiten oder beenden; Änderungen gelten nur für künftige Rechnungen.
            `,
          },
        ],
      },
    },
  },
  {
    slug: 'automatic-payment-reminders',
    category: 'invoices-and-payments',
    translations: {
      en: {
        title: 'Send automatic reminders for unpaid invoices',
        keywords: ['reminder', 'overdue', 'late payment', 'dunning', 'unpaid invoice', 'chase payment', 'late fee'],
        body: md`
          Northwind Cloud can chase late payers for you – politely and on schedule.

          ## Turn on reminders
          Go to **Settings → Invoices → Reminders** and switch on **Automatic reminders**. The default schedule is:
          1. **Friendly reminder** – 3 days after the due date.
          2. **First dunning notice** – 14 days after the due date.
          3. **Final notice** – 28 days after the due date.

          You can change the number of days, edit each email text and add a late fee (a fixed amount or annual interest) to the second and third stage.

          ## Per customer or invoice
          Some customers need a softer touch. Open the customer and switch reminders off there, or pause them for a single invoice with **More → Pause reminders**.

          ## Before the due date
          Optionally send a heads-up a few days **before** an invoice is due – useful for large amounts.

          ## What stops reminders
          Reminders stop automatically when the invoice is marked as paid, a payment arrives via Stripe or PayPal, or you record a partial payment that settles the balance.

          Each reminder is logged in the invoice history, so you can see what was sent and when.
        `,
      },
      de: {
        title: 'Automatische Zahlungserinnerungen und Mahnungen',
        keywords: [
          'Mahnung',
          'Zahlungserinnerung',
          'überfällig',
          'Mahnwesen',
          'unbezahlte Rechnung',
          'Mahngebühr',
          'Verzugszinsen',
        ],
        body: md`
          Northwind Cloud erinnert säumige Kunden für Sie – freundlich und pünktlich.

          ## Erinnerungen aktivieren
          Öffnen Sie **Einstellungen → Rechnungen → Mahnwesen** und schalten Sie **Automatische Erinnerungen** ein. Der Standardablauf:
          1. **Zahlungserinnerung** – 3 Tage nach Fälligkeit.
          2. **1. Mahnung** – 14 Tage nach Fälligkeit.
          3. **Letzte Mahnung** – 28 Tage nach Fälligkeit.

          Die Anzahl der Tage, die Texte der einzelnen E-Mails und eine Mahngebühr (Festbetrag oder Verzugszinsen pro Jahr) für die zweite und dritte Stufe können Sie anpassen.

          ## Pro Kunde oder Rechnung
          Manche Kunden brauchen Fingerspitzengefühl. Deaktivieren Sie Erinnerungen direkt beim Kunden oder pausieren Sie sie für eine einzelne Rechnung über **Mehr → Erinnerungen pausieren**.

          ## Vor Fälligkeit
          Auf Wunsch verschicken Sie schon einige Tage **vor** Fälligkeit einen Hinweis – praktisch bei hohen Beträgen.

          ## Wann Erinnerungen enden
          Erinnerungen stoppen automatisch, sobald die Rechnung als bezahlt markiert wird, eine Zahlung über Stripe oder PayPal eingeht oder eine Teilzahlung den offenen Betrag ausgleicht.

          Jede Erinnerung wird im Verlauf der Rechnung protokolliert, damit Sie sehen, was wann verschickt wurde.
        `,
      },
    },
  },
  {
    slug: 'credit-notes-and-corrections',
    category: 'invoices-and-payments',
    translations: {
      en: {
        title: 'Correct or cancel an invoice you already sent',
        keywords: ['credit note', 'cancel invoice', 'void invoice', 'correct invoice', 'edit sent invoice', 'mistake on invoice'],
        body: md`
          Once an invoice has been sent or downloaded, it is **finalised**: its number and content can't be changed any more. This keeps your bookkeeping compliant with tax rules such as the German GoBD.

          ## Drafts
          Drafts can be edited or deleted freely. They don't use up an invoice number until you finalise them.

          ## Fix a mistake in a finalised invoice
          1. Open the invoice and click **More → Cancel with credit note**.
          2. Northwind Cloud creates a **credit note** that reverses the full amount and references the original invoice number.
          3. Click **Duplicate** on the original invoice, correct the mistake and send the new invoice.

          Your customer receives both documents, so it's worth adding a short explanation to the email.

          ## Partial credit
          To refund only part of an invoice – for example a discount after a complaint – create a credit note under **Credit notes → New** and link it to the invoice. Enter only the lines or the amount you want to credit.

          ## Small typos
          Misspelled street name? Minor corrections to the recipient's address are allowed: use **More → Correct address**. The change is logged in the invoice history.
        `,
      },
      de: {
        title: 'Rechnung korrigieren oder stornieren',
        keywords: ['Storno', 'Stornorechnung', 'Gutschrift', 'Rechnung korrigieren', 'Rechnung stornieren', 'Fehler in Rechnung'],
        body: md`
          Sobald eine Rechnung versendet oder heruntergeladen wurde, ist sie **festgeschrieben**: Nummer und Inhalt lassen sich nicht mehr ändern. So bleibt Ihre Buchhaltung GoBD-konform.

          ## Entwürfe
          Entwürfe können Sie beliebig bearbeiten oder löschen. Eine Rechnungsnummer erhalten sie erst beim Festschreiben.

          ## Fehler in einer festgeschriebenen Rechnung beheben
          1. Öffnen Sie die Rechnung und klicken Sie auf **Mehr → Mit Gutschrift stornieren**.
          2. Northwind Cloud erstellt eine **Stornorechnung**, die den vollen Betrag ausgleicht und auf die ursprüngliche Rechnungsnummer verweist.
          3. Klicken Sie bei der ursprünglichen Rechnung auf **Duplizieren**, korrigieren Sie den Fehler und versenden Sie die neue Rechnung.

          Ihr Kunde erhält beide Dokumente – eine kurze Erklärung in der E-Mail ist daher sinnvoll.

          ## Teilgutschrift
          Möchten Sie nur einen Teil erstatten, etwa einen Preisnachlass nach einer Reklamation, legen Sie über **Gutschriften → Neu** eine Gutschrift an und verknüpfen sie mit der Rechnung. Tragen Sie nur die Positionen oder den Betrag ein, den Sie gutschreiben möchten.

          ## Kleine Tippfehler
          Straßenname falsch geschrieben? Kleine Korrekturen an der Empfängeradresse sind erlaubt: Nutzen Sie **Mehr → Adresse korrigieren**. Die Änderung wird im Verlauf der Rechnung protokolliert.
        `,
      },
    },
  },
  {
    slug: 'invoice-numbering',
    category: 'invoices-and-payments',
    translations: {
      en: {
        title: 'Customise invoice numbers',
        keywords: ['invoice number', 'numbering', 'prefix', 'sequence', 'number format', 'start number'],
        body: md`
          Each invoice gets a unique, sequential number when it's finalised. By default the format is **INV-{YEAR}-{NUMBER}**, e.g. INV-2024-0042.

          ## Change the format
          Go to **Settings → Invoices → Numbering**. You can combine:
          - a fixed prefix, such as "RE" or your company's initials,
          - the year, or year and month,
          - a counter with a minimum number of digits,
          - the customer number.

          The preview shows what the next invoice number will look like.

          ## Start at a specific number
          Switching from another tool? Set **Next number** to continue your existing sequence, e.g. 1057 if your last invoice was 1056. Numbers that have already been used can't be chosen.

          ## Yearly reset
          Enable **Restart counter every year** to begin at 1 on January 1st. This only works if the year is part of the format; otherwise numbers would repeat.

          ## Separate sequences
          Quotes, credit notes and invoices each have their own sequence. On the Business plan you can create additional invoice sequences, for example one per brand or location.

          ## Gaps in numbering
          Deleting a draft never creates a gap, because drafts don't have a number yet.
        `,
      },
      de: {
        title: 'Rechnungsnummern anpassen',
        keywords: ['Rechnungsnummer', 'Nummernkreis', 'Präfix', 'fortlaufende Nummer', 'Startnummer', 'Nummerierung'],
        body: md`
          Jede Rechnung erhält beim Festschreiben eine eindeutige, fortlaufende Nummer. Standardmäßig lautet das Format **RE-{JAHR}-{NUMMER}**, z. B. RE-2024-0042.

          ## Format ändern
          Unter **Einstellungen → Rechnungen → Nummernkreise** können Sie kombinieren:
          - ein festes Präfix, etwa „RE“ oder Ihr Firmenkürzel,
          - das Jahr oder Jahr und Monat,
          - einen Zähler mit Mindeststellenzahl,
          - die Kundennummer.

          Die Vorschau zeigt, wie die nächste Rechnungsnummer aussehen wird.

          ## Mit einer bestimmten Nummer beginnen
          Sie wechseln von einem anderen Programm? Tragen Sie bei **Nächste Nummer** einfach die Fortsetzung Ihres bisherigen Nummernkreises ein, z. B. 1057, wenn Ihre letzte Rechnung die 1056 war. Bereits vergebene Nummern lassen sich nicht wählen.

          ## Jährlicher Neustart
          Mit **Zähler jährlich zurücksetzen** beginnt die Zählung am 1. Januar wieder bei 1. Das funktioniert nur, wenn das Jahr Teil des Formats ist – sonst würden sich Nummern wiederholen.

          ## Getrennte Nummernkreise
          Angebote, Gutschriften und Rechnungen haben jeweils eigene Nummernkreise. Im Business-Tarif können Sie zusätzliche Rechnungsnummernkreise anlegen, etwa pro Marke oder Standort.

          ## Lücken in der Nummerierung
          Das Löschen eines Entwurfs erzeugt nie eine Lücke, da Entwürfe noch keine Nummer haben.
        `,
      },
    },
  },

  // ---------------------------------------------------------------- team-and-permissions
  {
    slug: 'invite-a-teammate',
    category: 'team-and-permissions',
    translations: {
      en: {
        title: 'Invite colleagues to your workspace',
        keywords: ['invite', 'add user', 'teammate', 'colleague', 'new user', 'add employee', 'seats'],
        body: md`
          Owners and admins can add people to a workspace. How many users you can have depends on your plan (Starter: 1, Team: 10, Business: unlimited).

          ## Send an invitation
          1. Go to **Settings → Team** and click **Invite people**.
          2. Enter one or more email addresses, separated by commas.
          3. Choose a role for them – see [Roles and permissions](/help/roles-and-permissions). You can change it later.
          4. Optionally restrict them to certain projects.
          5. Click **Send invitations**.

          Each person receives an email with a link that's valid for 7 days. They choose their own password or sign in with Google or Microsoft.

          ## Invitation didn't arrive?
          In the team list, pending invitations are marked **Invited**. Click **Resend**, or **Copy link** and send the link yourself, for example via chat. Check the spelling of the address, too.

          ## Billing
          On paid plans, each active user counts towards your seat limit as soon as they accept the invitation. Pending invitations are free.

          ## Accountants and external helpers
          Give your tax advisor the **Accountant** role: it's free and doesn't use a seat.
        `,
      },
      de: {
        title: 'Kolleginnen und Kollegen einladen',
        keywords: ['einladen', 'Nutzer hinzufügen', 'Mitarbeiter', 'Kollege', 'Teammitglied', 'Benutzer anlegen'],
        body: md`
          Inhaber und Administratoren können Personen zum Arbeitsbereich hinzufügen. Wie viele Nutzer möglich sind, hängt vom Tarif ab (Starter: 1, Team: 10, Business: unbegrenzt).

          ## Einladung verschicken
          1. Öffnen Sie **Einstellungen → Team** und klicken Sie auf **Personen einladen**.
          2. Geben Sie eine oder mehrere E-Mail-Adressen ein, getrennt durch Kommas.
          3. Wählen Sie eine Rolle – siehe [Rollen und Berechtigungen](/help/roles-and-permissions). Sie lässt sich später ändern.
          4. Beschränken Sie den Zugriff bei Bedarf auf bestimmte Projekte.
          5. Klicken Sie auf **Einladungen senden**.

          Jede Person erhält eine E-Mail mit einem Link, der 7 Tage gültig ist. Sie vergibt ihr eigenes Passwort oder meldet sich mit Google oder Microsoft an.

          ## Einladung nicht angekommen?
          Offene Einladungen sind in der Teamliste als **Eingeladen** markiert. Klicken Sie auf **Erneut senden** oder auf **Link kopieren** und schicken Sie den Link selbst, etwa per Chat. Prüfen Sie auch die Schreibweise der Adresse.

          ## Abrechnung
          In bezahlten Tarifen zählt jeder aktive Nutzer zum Nutzerkontingent, sobald er die Einladung annimmt. Offene Einladungen kosten nichts.

          ## Steuerbüro und externe Helfer
          Geben Sie Ihrer Steuerberatung die Rolle **Buchhaltung**: Sie ist kostenlos und belegt keinen Platz.
        `,
      },
    },
  },
  {
    slug: 'roles-and-permissions',
    category: 'team-and-permissions',
    translations: {
      en: {
        title: 'Roles and permissions explained',
        keywords: ['roles', 'permissions', 'admin', 'access rights', 'read-only', 'manager', 'accountant role'],
        body: md`
          Every user in a workspace has exactly one role. Choose the smallest role that lets someone do their job.

          | Role | What they can do |
          |---|---|
          | **Owner** | Everything, including billing, deleting the workspace and transferring ownership. There is one owner per workspace. |
          | **Admin** | Everything except deleting the workspace and changing the owner. Manages users and settings. |
          | **Manager** | Creates and sends quotes and invoices, manages customers and projects, sees all time entries and reports. No access to settings or billing. |
          | **Member** | Tracks time and expenses on assigned projects and sees their own entries. Sees amounts and invoices only if allowed. |
          | **Accountant** | Read-only access to invoices, payments and reports, plus exports (CSV, DATEV). Free of charge. |

          ## Fine-tuning
          Admins can grant individual permissions to a Manager or Member under **Settings → Team → [name] → Permissions**, for example **See hourly rates**, or **Billing** for access to the subscription invoices.

          ## Change someone's role
          Go to **Settings → Team**, click the person and choose a new role. The change is immediate; the user doesn't need to sign in again.

          Every role change is recorded in the audit log.
        `,
      },
      de: {
        title: 'Rollen und Berechtigungen im Überblick',
        keywords: ['Rollen', 'Berechtigungen', 'Rechte', 'Administrator', 'Zugriffsrechte', 'Lesezugriff', 'Buchhaltung'],
        body: md`
          Jeder Nutzer eines Arbeitsbereichs hat genau eine Rolle. Wählen Sie die kleinste Rolle, mit der jemand seine Aufgaben erledigen kann.

          | Rolle | Was sie darf |
          |---|---|
          | **Inhaber** | Alles, einschließlich Abrechnung, Löschen des Arbeitsbereichs und Übertragen der Inhaberschaft. Jeder Arbeitsbereich hat genau einen Inhaber. |
          | **Administrator** | Alles außer Löschen des Arbeitsbereichs und Inhaberwechsel. Verwaltet Nutzer und Einstellungen. |
          | **Manager** | Erstellt und versendet Angebote und Rechnungen, verwaltet Kunden und Projekte, sieht alle Zeiteinträge und Berichte. Kein Zugriff auf Einstellungen und Abrechnung. |
          | **Mitglied** | Erfasst Zeiten und Ausgaben auf zugewiesenen Projekten und sieht die eigenen Einträge. Beträge und Rechnungen nur, wenn freigegeben. |
          | **Buchhaltung** | Lesezugriff auf Rechnungen, Zahlungen und Berichte sowie Exporte (CSV, DATEV). Kostenlos. |

          ## Feinabstimmung
          Administratoren können Managern oder Mitgliedern unter **Einstellungen → Team → [Name] → Berechtigungen** einzelne Rechte geben, etwa **Stundensätze sehen** oder **Abrechnung** für den Zugriff auf die Abo-Rechnungen.

          ## Rolle ändern
          Öffnen Sie **Einstellungen → Team**, klicken Sie auf die Person und wählen Sie eine neue Rolle. Die Änderung gilt sofort; eine erneute Anmeldung ist nicht nötig.

          Jede Rollenänderung wird im Audit-Protokoll festgehalten.
        `,
      },
    },
  },
  {
    slug: 'remove-a-user',
    category: 'team-and-permissions',
    translations: {
      en: {
        title: 'Remove a user or deactivate their access',
        keywords: ['remove user', 'deactivate', 'offboarding', 'employee left', 'revoke access', 'delete user'],
        body: md`
          When someone leaves your company, remove their access straight away.

          ## Deactivate a user
          1. Go to **Settings → Team**.
          2. Click the person's name and choose **Deactivate**.
          3. Confirm.

          The user is signed out on all devices immediately, including the mobile app, and can no longer sign in to your workspace. Their API keys stop working as well.

          ## What happens to their data
          Nothing is lost. Time entries, invoices, comments and files they created stay in the workspace and keep showing their name. Running timers are stopped at the moment of deactivation.

          Projects and customers they managed don't get a new person in charge automatically – reassign them under **Projects** using the **Project manager** filter.

          ## Seats and billing
          A deactivated user no longer counts towards your plan. On monthly plans your next invoice is reduced; on yearly plans you receive a prorated credit.

          ## Reactivate or delete permanently
          Deactivated users can be reactivated at any time with their full history. To erase their personal data (e.g. after a GDPR request), choose **Delete permanently** – their entries are then shown as "Former user".

          You can't deactivate the owner; transfer ownership first.
        `,
      },
      de: {
        title: 'Nutzer entfernen oder deaktivieren',
        keywords: [
          'Nutzer entfernen',
          'deaktivieren',
          'Mitarbeiter ausgeschieden',
          'Zugang sperren',
          'Benutzer löschen',
          'Offboarding',
        ],
        body: md`
          Verlässt jemand Ihr Unternehmen, entziehen Sie ihm am besten sofort den Zugang.

          ## Nutzer deaktivieren
          1. Öffnen Sie **Einstellungen → Team**.
          2. Klicken Sie auf den Namen der Person und wählen Sie **Deaktivieren**.
          3. Bestätigen Sie.

          Die Person wird sofort auf allen Geräten abgemeldet, auch in der mobilen App, und kann sich nicht mehr in Ihrem Arbeitsbereich anmelden. Ihre API-Schlüssel funktionieren ebenfalls nicht mehr.

          ## Was mit den Daten passiert
          Nichts geht verloren. Zeiteinträge, Rechnungen, Kommentare und Dateien bleiben im Arbeitsbereich und zeigen weiterhin ihren Namen. Laufende Timer werden beim Deaktivieren gestoppt.

          Projekte und Kunden, die sie betreut hat, erhalten nicht automatisch eine neue Verantwortliche – weisen Sie sie unter **Projekte** mit dem Filter **Projektleitung** neu zu.

          ## Nutzerplätze und Abrechnung
          Deaktivierte Nutzer zählen nicht mehr zu Ihrem Tarif. Bei monatlicher Zahlung sinkt die nächste Rechnung, bei jährlicher Zahlung erhalten Sie eine anteilige Gutschrift.

          ## Reaktivieren oder endgültig löschen
          Deaktivierte Nutzer lassen sich jederzeit mit ihrem gesamten Verlauf reaktivieren. Um personenbezogene Daten zu löschen (etwa auf eine DSGVO-Anfrage hin), wählen Sie **Endgültig löschen** – ihre Einträge erscheinen dann als „Ehemaliger Nutzer“.

          Den Inhaber können Sie nicht deaktivieren; übertragen Sie zuerst die Inhaberschaft.
        `,
      },
    },
  },
  {
    slug: 'transfer-ownership',
    category: 'team-and-permissions',
    translations: {
      en: {
        title: 'Transfer workspace ownership to someone else',
        keywords: ['transfer ownership', 'new owner', 'change owner', 'account owner', 'owner left'],
        body: md`
          Each workspace has exactly one owner, who controls billing and can delete the workspace. If the owner is leaving, or a different person should be in charge, transfer the ownership.

          ## Requirements
          - The new owner must already be an **active admin** in the workspace.
          - They must have two-factor authentication turned on.
          - Only the current owner can start the transfer.

          ## Transfer
          1. Go to **Settings → Workspace → Ownership**.
          2. Select the new owner and confirm with your password.
          3. The new owner receives an email and has to **accept** within 7 days.

          After acceptance, the previous owner becomes an admin and can then be deactivated if they're leaving.

          ## Billing after the transfer
          The subscription, payment method and invoices stay with the workspace. Ask the new owner to check **Settings → Billing** and replace the payment method if it personally belonged to the previous owner.

          ## Owner no longer available?
          If the owner has left the company and can't start the transfer, an admin can ask support for help. We'll need a written request on company letterhead signed by a managing director, plus proof of identity. This usually takes 3–5 business days.
        `,
      },
      de: {
        title: 'Inhaberschaft des Arbeitsbereichs übertragen',
        keywords: ['Inhaber übertragen', 'neuer Inhaber', 'Inhaberwechsel', 'Kontoinhaber', 'Eigentümer ändern'],
        body: md`
          Jeder Arbeitsbereich hat genau einen Inhaber, der die Abrechnung verwaltet und den Arbeitsbereich löschen kann. Verlässt der Inhaber das Unternehmen oder soll jemand anderes verantwortlich sein, übertragen Sie die Inhaberschaft.

          ## Voraussetzungen
          - Die neue Person muss bereits **aktiver Administrator** im Arbeitsbereich sein.
          - Sie muss die Zwei-Faktor-Authentifizierung aktiviert haben.
          - Nur der aktuelle Inhaber kann die Übertragung starten.

          ## Übertragung
          1. Öffnen Sie **Einstellungen → Arbeitsbereich → Inhaberschaft**.
          2. Wählen Sie den neuen Inhaber und bestätigen Sie mit Ihrem Passwort.
          3. Die Person erhält eine E-Mail und muss innerhalb von 7 Tagen **zustimmen**.

          Nach der Zustimmung wird der bisherige Inhaber zum Administrator und kann anschließend deaktiviert werden, falls er das Unternehmen verlässt.

          ## Abrechnung nach der Übertragung
          Abonnement, Zahlungsart und Rechnungen bleiben beim Arbeitsbereich. Der neue Inhaber sollte unter **Einstellungen → Abrechnung** prüfen, ob die hinterlegte Zahlungsart privat dem bisherigen Inhaber gehörte, und sie gegebenenfalls ersetzen.

          ## Inhaber nicht mehr erreichbar?
          Ist der Inhaber ausgeschieden und kann die Übertragung nicht starten, kann sich ein Administrator an den Support wenden. Wir benötigen eine schriftliche Anfrage auf Firmenbriefpapier, unterschrieben von der Geschäftsführung, sowie einen Identitätsnachweis. Das dauert meist 3–5 Werktage.
        `,
      },
    },
  },

  // ---------------------------------------------------------------- apps-and-integrations
  {
    slug: 'mobile-app-crashes-uploading-photo',
    category: 'apps-and-integrations',
    translations: {
      en: {
        title: 'Mobile app closes when uploading a photo or receipt',
        keywords: ['app crash', 'crashes', 'photo upload', 'receipt photo', 'camera', 'app closes', 'freezes'],
        body: md`
          If the Northwind Cloud app closes or freezes when you attach a photo – for example a receipt to an expense – one of the following steps usually helps.

          ## 1. Update the app
          Version 4.2 fixed a crash with large HEIC photos on iPhone. Check the App Store or Google Play for updates. The app requires iOS 16 or Android 10 or newer.

          ## 2. Check permissions
          - **iPhone:** Settings → Northwind → Photos → **Full Access** or **Selected Photos**, and Camera switched on.
          - **Android:** Settings → Apps → Northwind → Permissions → allow **Camera** and **Photos and videos**.

          ## 3. Free up storage
          The app needs around 200 MB of free space to compress an image before uploading it. Delete unused apps or files if your phone is almost full.

          ## 4. Try a smaller image
          Files up to 20 MB are supported. Take the photo from inside the app (**Scan receipt**) instead of choosing an existing one – it's cropped and compressed automatically.

          ## 5. Reinstall
          Uninstall and reinstall the app. Unsynced entries are lost, so connect to the internet and wait for the sync to finish first.

          Still crashing? In the app, go to **Profile → Help → Send diagnostics** and tell us the time of the crash.
        `,
      },
      de: {
        title: 'App stürzt beim Hochladen eines Fotos oder Belegs ab',
        keywords: ['App stürzt ab', 'Absturz', 'Foto hochladen', 'Beleg fotografieren', 'Kamera', 'App hängt', 'Bild hochladen'],
        body: md`
          Schließt sich die Northwind-Cloud-App oder friert sie ein, wenn Sie ein Foto anhängen – etwa einen Beleg zu einer Ausgabe –, hilft meist einer der folgenden Schritte.

          ## 1. App aktualisieren
          Version 4.2 hat einen Absturz mit großen HEIC-Fotos auf dem iPhone behoben. Prüfen Sie im App Store oder bei Google Play, ob ein Update verfügbar ist. Die App benötigt iOS 16 bzw. Android 10 oder neuer.

          ## 2. Berechtigungen prüfen
          - **iPhone:** Einstellungen → Northwind → Fotos → **Voller Zugriff** oder **Ausgewählte Fotos**, außerdem Kamera aktivieren.
          - **Android:** Einstellungen → Apps → Northwind → Berechtigungen → **Kamera** und **Fotos und Videos** erlauben.

          ## 3. Speicherplatz freigeben
          Die App braucht rund 200 MB freien Speicher, um ein Bild vor dem Hochladen zu komprimieren. Löschen Sie ungenutzte Apps oder Dateien, wenn Ihr Telefon fast voll ist.

          ## 4. Kleineres Bild versuchen
          Unterstützt werden Dateien bis 20 MB. Fotografieren Sie direkt in der App (**Beleg scannen**), statt ein vorhandenes Bild auszuwählen – es wird automatisch zugeschnitten und komprimiert.

          ## 5. Neu installieren
          Deinstallieren Sie die App und installieren Sie sie neu. Nicht synchronisierte Einträge gehen dabei verloren – verbinden Sie sich also vorher mit dem Internet und warten Sie die Synchronisierung ab.

          Stürzt die App weiterhin ab? Tippen Sie in der App auf **Profil → Hilfe → Diagnose senden** und nennen Sie uns die Uhrzeit des Absturzes.
        `,
      },
    },
  },
  {
    slug: 'mobile-app-offline-mode',
    category: 'apps-and-integrations',
    translations: {
      en: {
        title: 'Use the mobile app without an internet connection',
        keywords: ['offline', 'no internet', 'no signal', 'sync', 'airplane mode', 'offline mode'],
        body: md`
          The Northwind Cloud app for iOS and Android keeps working when you're offline – on a construction site, in a basement or on a plane.

          ## What works offline
          - Start and stop timers and add time entries.
          - Record expenses and take receipt photos.
          - View customers, projects and the invoices of the last 90 days.
          - Create **draft** quotes and invoices.

          ## What needs a connection
          - Sending quotes and invoices, and assigning invoice numbers.
          - Taking card payments with the card reader.
          - Viewing documents older than 90 days and running reports.

          ## Syncing
          A cloud icon with a number at the top of the screen shows how many changes are waiting. As soon as you're back online, the app syncs automatically in the background. To sync right away, pull down on any list.

          If the same record was changed on the web while you were offline, the most recent change wins and the other version is kept in the item's history.

          ## Choose what's available offline
          Under **Profile → Offline data**, choose which projects and customers are stored on your device. Offline data is stored encrypted.
        `,
      },
      de: {
        title: 'Die mobile App ohne Internetverbindung nutzen',
        keywords: ['offline', 'kein Internet', 'kein Netz', 'Synchronisierung', 'Flugmodus', 'Offline-Modus', 'Funkloch'],
        body: md`
          Die Northwind-Cloud-App für iOS und Android funktioniert auch offline – auf der Baustelle, im Keller oder im Flugzeug.

          ## Was offline funktioniert
          - Timer starten und stoppen, Zeiteinträge erfassen.
          - Ausgaben erfassen und Belege fotografieren.
          - Kunden, Projekte und die Rechnungen der letzten 90 Tage ansehen.
          - Angebote und Rechnungen als **Entwurf** anlegen.

          ## Wofür Sie eine Verbindung brauchen
          - Angebote und Rechnungen versenden und Rechnungsnummern vergeben.
          - Kartenzahlungen mit dem Kartenlesegerät annehmen.
          - Dokumente ansehen, die älter als 90 Tage sind, und Berichte erstellen.

          ## Synchronisierung
          Ein Wolkensymbol mit einer Zahl oben im Bildschirm zeigt, wie viele Änderungen noch ausstehen. Sobald Sie wieder online sind, synchronisiert die App automatisch im Hintergrund. Um sofort zu synchronisieren, ziehen Sie eine beliebige Liste nach unten.

          Wurde derselbe Eintrag in der Zwischenzeit im Web geändert, gilt die jüngste Änderung; die andere Fassung bleibt im Verlauf des Eintrags erhalten.

          ## Auswählen, was offline verfügbar ist
          Unter **Profil → Offline-Daten** legen Sie fest, welche Projekte und Kunden auf dem Gerät gespeichert werden. Offline-Daten werden verschlüsselt abgelegt.
        `,
      },
    },
  },
  {
    slug: 'mobile-push-notifications',
    category: 'apps-and-integrations',
    translations: {
      en: {
        title: 'Manage push notifications in the mobile app',
        keywords: ['push notifications', 'notifications', 'alerts', 'no notifications', 'quiet hours', 'mute'],
        body: md`
          The app can notify you when something important happens, for example when:
          - an invoice has been **paid** or a quote **accepted**,
          - an invoice is **overdue**,
          - a teammate **mentions** you in a comment,
          - you forgot a **running timer** (after 8 hours by default).

          ## Choose what you get
          In the app, tap **Profile → Notifications**. Switch each type on or off and set **quiet hours**, e.g. 20:00–07:00 on weekdays and all weekend. Settings are per device, so your tablet can stay quiet while your phone alerts you.

          ## Not receiving any notifications?
          1. Allow notifications for Northwind in your phone's settings:
             - **iPhone:** Settings → Notifications → Northwind.
             - **Android:** Settings → Apps → Northwind → Notifications.
          2. Check that a Focus mode or Do Not Disturb isn't blocking them.
          3. On Android, turn off battery optimisation for the app – some manufacturers (Samsung, Xiaomi, Huawei) stop background apps aggressively.
          4. Sign out and back in to register the device again.

          ## Email instead of push
          Prefer emails? Set up email notifications in the web app under **Settings → Profile → Notifications**.
        `,
      },
      de: {
        title: 'Push-Benachrichtigungen in der App verwalten',
        keywords: [
          'Push-Benachrichtigungen',
          'Mitteilungen',
          'Benachrichtigung',
          'keine Benachrichtigungen',
          'Ruhezeiten',
          'stumm',
        ],
        body: md`
          Die App kann Sie benachrichtigen, wenn etwas Wichtiges passiert, zum Beispiel wenn:
          - eine Rechnung **bezahlt** oder ein Angebot **angenommen** wurde,
          - eine Rechnung **überfällig** ist,
          - jemand aus dem Team Sie in einem Kommentar **erwähnt**,
          - ein **Timer** noch läuft (standardmäßig nach 8 Stunden).

          ## Auswählen, was Sie erhalten
          Tippen Sie in der App auf **Profil → Benachrichtigungen**. Schalten Sie die einzelnen Arten ein oder aus und legen Sie **Ruhezeiten** fest, etwa werktags 20:00–07:00 Uhr und am Wochenende ganztägig. Die Einstellungen gelten pro Gerät – Ihr Tablet kann also stumm bleiben, während das Handy Sie informiert.

          ## Keine Benachrichtigungen?
          1. Erlauben Sie Mitteilungen für Northwind in den Einstellungen Ihres Telefons:
             - **iPhone:** Einstellungen → Mitteilungen → Northwind.
             - **Android:** Einstellungen → Apps → Northwind → Benachrichtigungen.
          2. Prüfen Sie, ob ein Fokus-Modus bzw. „Nicht stören“ sie blockiert.
          3. Deaktivieren Sie unter Android die Akku-Optimierung für die App – manche Hersteller (Samsung, Xiaomi, Huawei) beenden Hintergrund-Apps sehr konsequent.
          4. Melden Sie sich ab und wieder an, damit das Gerät neu registriert wird.

          ## Lieber per E-Mail?
          E-Mail-Benachrichtigungen stellen Sie in der Web-App unter **Einstellungen → Profil → Benachrichtigungen** ein.
        `,
      },
    },
  },
  {
    slug: 'connect-stripe-or-paypal',
    category: 'apps-and-integrations',
    translations: {
      en: {
        title: 'Let customers pay invoices online with Stripe or PayPal',
        keywords: ['Stripe', 'PayPal', 'online payment', 'pay now button', 'accept cards', 'payment link', 'Apple Pay'],
        body: md`
          Connect a payment provider and every invoice email gets a **Pay now** button. Customers pay by card, Apple Pay, Google Pay, SEPA debit or PayPal, and the invoice is marked as paid automatically.

          ## Connect Stripe
          1. Go to **Settings → Integrations → Payments** and click **Connect Stripe**.
          2. Sign in to your Stripe account or create one – Stripe asks for your business and bank details.
          3. Return to Northwind Cloud. The status now shows **Connected**.

          ## Connect PayPal
          Click **Connect PayPal** on the same page and sign in with your **PayPal business account**. Personal accounts can't receive invoice payments.

          ## Choose methods per invoice
          By default, all enabled methods appear on every invoice. You can switch methods off per customer or per invoice, e.g. to avoid card fees on large amounts.

          ## Fees and payouts
          Northwind Cloud doesn't charge anything extra. Stripe and PayPal deduct their own fees and pay out to your bank account on their usual schedule. Payouts and fees are listed under **Payments**.

          ## Partial payments
          If a customer pays only part of the amount, the invoice shows **Partially paid** and reminders continue for the rest.
        `,
      },
      de: {
        title: 'Online-Zahlungen mit Stripe oder PayPal annehmen',
        keywords: ['Stripe', 'PayPal', 'Online-Zahlung', 'Bezahlen-Button', 'Kartenzahlung', 'Zahlungslink', 'Apple Pay'],
        body: md`
          Verbinden Sie einen Zahlungsanbieter, und jede Rechnungs-E-Mail enthält eine Schaltfläche **Jetzt bezahlen**. Ihre Kunden zahlen per Karte, Apple Pay, Google Pay, SEPA-Lastschrift oder PayPal, und die Rechnung wird automatisch als bezahlt markiert.

          ## Stripe verbinden
          1. Öffnen Sie **Einstellungen → Integrationen → Zahlungen** und klicken Sie auf **Stripe verbinden**.
          2. Melden Sie sich bei Stripe an oder erstellen Sie ein Konto – Stripe fragt nach Ihren Unternehmens- und Bankdaten.
          3. Kehren Sie zu Northwind Cloud zurück. Der Status lautet nun **Verbunden**.

          ## PayPal verbinden
          Klicken Sie auf derselben Seite auf **PayPal verbinden** und melden Sie sich mit Ihrem **PayPal-Geschäftskonto** an. Mit privaten Konten können keine Rechnungszahlungen empfangen werden.

          ## Zahlungsarten pro Rechnung
          Standardmäßig erscheinen alle aktivierten Zahlungsarten auf jeder Rechnung. Sie können einzelne Arten pro Kunde oder Rechnung abschalten, etwa um Kartengebühren bei hohen Beträgen zu vermeiden.

          ## Gebühren und Auszahlungen
          Northwind Cloud berechnet dafür nichts zusätzlich. Stripe und PayPal ziehen ihre eigenen Gebühren ab und zahlen im üblichen Rhythmus auf Ihr Bankkonto aus. Auszahlungen und Gebühren sehen Sie unter **Zahlungen**.

          ## Teilzahlungen
          Zahlt ein Kunde nur einen Teil, zeigt die Rechnung **Teilweise bezahlt**, und Erinnerungen laufen für den Restbetrag weiter.
        `,
      },
    },
  },
  {
    slug: 'zapier-and-webhooks',
    category: 'apps-and-integrations',
    translations: {
      en: {
        title: 'Automate workflows with Zapier and webhooks',
        keywords: ['Zapier', 'webhook', 'automation', 'Slack', 'Make', 'integration', 'events'],
        body: md`
          ## Zapier
          Our Zapier app connects Northwind Cloud to more than 6,000 tools without writing code. Popular Zaps:
          - Create a customer when a deal is won in your CRM.
          - Post a Slack message when an invoice is paid.
          - Add new invoices to a Google Sheet.

          Search for "Northwind Cloud" in Zapier, click **Connect** and sign in. Zapier is available on the Team and Business plans.

          ## Webhooks
          Webhooks send an HTTP POST request to your URL whenever an event happens. Set them up under **Settings → Integrations → Webhooks → Add endpoint**:
          1. Enter an HTTPS URL.
          2. Select events, e.g. invoice.created, invoice.paid, quote.accepted, customer.updated or time_entry.created.
          3. Save and copy the **signing secret**.

          Each request contains a JSON body and a **Northwind-Signature** header (an HMAC-SHA256 of the body, keyed with your secret) – always verify it.

          ## Delivery and retries
          Your endpoint should answer with a 2xx status within 10 seconds. Failed deliveries are retried up to 8 times over 24 hours with increasing delays. After repeated failures the endpoint is disabled and admins are notified by email. The **Delivery log** shows each request and response for 30 days.
        `,
      },
      de: {
        title: 'Abläufe mit Zapier und Webhooks automatisieren',
        keywords: ['Zapier', 'Webhook', 'Automatisierung', 'Slack', 'Integration', 'Schnittstelle', 'Ereignisse'],
        body: md`
          ## Zapier
          Mit unserer Zapier-App verbinden Sie Northwind Cloud ohne Programmierung mit über 6.000 Tools. Beliebte Zaps:
          - Kunden anlegen, sobald im CRM ein Deal gewonnen wurde.
          - Eine Slack-Nachricht senden, wenn eine Rechnung bezahlt wurde.
          - Neue Rechnungen in ein Google Sheet eintragen.

          Suchen Sie in Zapier nach „Northwind Cloud“, klicken Sie auf **Verbinden** und melden Sie sich an. Zapier steht in den Tarifen Team und Business zur Verfügung.

          ## Webhooks
          Webhooks senden bei jedem Ereignis eine HTTP-POST-Anfrage an Ihre URL. Sie richten sie unter **Einstellungen → Integrationen → Webhooks → Endpunkt hinzufügen** ein:
          1. Geben Sie eine HTTPS-URL ein.
          2. Wählen Sie Ereignisse, z. B. invoice.created, invoice.paid, quote.accepted, customer.updated oder time_entry.created.
          3. Speichern Sie und kopieren Sie das **Signatur-Geheimnis**.

          Jede Anfrage enthält einen JSON-Body und den Header **Northwind-Signature** (ein HMAC-SHA256 des Bodys mit Ihrem Geheimnis als Schlüssel) – prüfen Sie ihn immer.

          ## Zustellung und Wiederholungen
          Ihr Endpunkt sollte innerhalb von 10 Sekunden mit einem 2xx-Status antworten. Fehlgeschlagene Zustellungen wiederholen wir bis zu 8-mal innerhalb von 24 Stunden mit wachsenden Abständen. Nach wiederholten Fehlern wird der Endpunkt deaktiviert, und die Administratoren werden per E-Mail informiert. Das **Zustellprotokoll** zeigt jede Anfrage und Antwort 30 Tage lang.
        `,
      },
    },
  },
  {
    slug: 'api-keys',
    category: 'apps-and-integrations',
    translations: {
      en: {
        title: 'Create and manage API keys',
        keywords: ['API', 'API key', 'token', 'developer', 'REST API', 'rate limit', 'bearer'],
        body: md`
          The Northwind Cloud REST API lets you read and write customers, invoices, projects and time entries from your own software. API access is included in the **Business** plan.

          ## Create a key
          1. Go to **Settings → Integrations → API keys** and click **New key**.
          2. Give it a name that says where it's used, e.g. "Accounting sync".
          3. Choose the scopes it needs – for example only invoices:read – and, optionally, an expiry date.
          4. Copy the key. It's shown **only once**; we store just a hash.

          Send the key in the Authorization header as a bearer token. Keys act on behalf of the user who created them and never have more rights than that user.

          ## Keep keys safe
          - Never put keys into front-end code, mobile apps or public repositories.
          - Use one key per integration, so you can revoke it without breaking others.
          - Rotate keys regularly: create a new key, update your integration, then delete the old one.

          ## Revoke a key
          Click **Revoke** next to the key. It stops working within a minute. Keys of deactivated users are revoked automatically.

          ## Limits
          The API allows 600 requests per minute per workspace. See the [API reference](/help/api) for all endpoints.
        `,
      },
      de: {
        title: 'API-Schlüssel erstellen und verwalten',
        keywords: ['API', 'API-Schlüssel', 'Token', 'Entwickler', 'Schnittstelle', 'REST-API', 'Rate-Limit'],
        body: md`
          Über die REST-API von Northwind Cloud lesen und schreiben Sie Kunden, Rechnungen, Projekte und Zeiteinträge aus Ihrer eigenen Software. Der API-Zugang ist im Tarif **Business** enthalten.

          ## Schlüssel erstellen
          1. Öffnen Sie **Einstellungen → Integrationen → API-Schlüssel** und klicken Sie auf **Neuer Schlüssel**.
          2. Vergeben Sie einen Namen, der den Einsatzzweck beschreibt, z. B. „Buchhaltungs-Sync“.
          3. Wählen Sie die benötigten Berechtigungen – etwa nur invoices:read – und optional ein Ablaufdatum.
          4. Kopieren Sie den Schlüssel. Er wird **nur einmal** angezeigt; wir speichern lediglich einen Hash.

          Übergeben Sie den Schlüssel im Authorization-Header als Bearer-Token. Schlüssel handeln im Namen des Nutzers, der sie erstellt hat, und haben nie mehr Rechte als dieser.

          ## Schlüssel sicher aufbewahren
          - Legen Sie Schlüssel niemals in Frontend-Code, mobilen Apps oder öffentlichen Repositorys ab.
          - Nutzen Sie einen Schlüssel pro Integration, damit Sie ihn sperren können, ohne andere zu beeinträchtigen.
          - Tauschen Sie Schlüssel regelmäßig aus: neuen Schlüssel erstellen, Integration umstellen, alten löschen.

          ## Schlüssel widerrufen
          Klicken Sie neben dem Schlüssel auf **Widerrufen**. Er funktioniert innerhalb einer Minute nicht mehr. Schlüssel deaktivierter Nutzer werden automatisch widerrufen.

          ## Limits
          Die API erlaubt 600 Anfragen pro Minute und Arbeitsbereich. Alle Endpunkte finden Sie in der [API-Referenz](/help/api).
        `,
      },
    },
  },

  // ---------------------------------------------------------------- orders-and-shipping
  {
    slug: 'pair-card-reader-bluetooth',
    kind: 'tutorial',
    category: 'orders-and-shipping',
    translations: {
      en: {
        title: 'Pair the Northwind card reader with your phone via Bluetooth',
        keywords: ['card reader', 'pair', 'Bluetooth', 'connect reader', 'terminal', 'Northwind Reader', 'set up reader'],
        body: md`
          The Northwind Reader connects to the mobile app via Bluetooth so you can take chip, PIN and contactless card payments. Pairing takes about two minutes and only needs to be done once per phone.
        `,
        steps: [
          {
            id: 'charge',
            title: 'Charge and switch on the reader',
            body: md`
              Charge the reader with the included USB-C cable for at least 30 minutes before first use. Then press and hold the power button on the side for 3 seconds until the display lights up.

              The reader shows **Ready to pair** and a flashing blue light.
            `,
            next: 'prepare-phone',
          },
          {
            id: 'prepare-phone',
            title: 'Prepare your phone',
            body: md`
              - Update the Northwind Cloud app to the latest version (iOS 16 / Android 10 or newer).
              - Turn on **Bluetooth**.
              - On Android, also allow the **Nearby devices** permission for the app (on older versions: **Location**).

              Don't pair the reader in your phone's Bluetooth settings – pairing happens inside the app.
            `,
            next: 'pair',
          },
          {
            id: 'pair',
            title: 'Pair from the app',
            body: md`
              In the app, tap **Profile → Card reader → Add reader** and keep the reader within one metre of the phone.

              Does your reader appear in the list? It's named *NW-* followed by the last four digits of the serial number on its back.
            `,
            choices: [
              { label: 'Yes, I can see it', next: 'confirm-code' },
              { label: "No, it doesn't show up", next: 'not-found' },
            ],
          },
          {
            id: 'not-found',
            title: "The reader isn't found",
            body: md`
              Try these steps one at a time:

              1. Restart the reader by holding the power button for 10 seconds.
              2. Make sure the reader isn't still connected to another phone or tablet – switch off Bluetooth on other devices nearby.
              3. Close the app completely and open it again.
              4. If the reader shows **Update required**, connect it to power and wait until the update has finished.

              Does the reader appear now?
            `,
            choices: [
              { label: 'Yes, it shows up now', next: 'confirm-code' },
              { label: 'No, still not found', next: 'contact-support' },
            ],
          },
          {
            id: 'confirm-code',
            title: 'Confirm the pairing code',
            body: md`
              Tap the reader in the list. A six-digit code appears on both the reader and the phone. If they match, tap **Pair** in the app and press the green button on the reader.

              The reader may now install a firmware update, which takes up to five minutes. Keep it close to the phone.
            `,
            next: 'test-payment',
          },
          {
            id: 'test-payment',
            title: 'Take a test payment',
            body: md`
              Tap **New payment**, enter €1.00 and hold your own card against the reader. When the payment succeeds, you can refund it straight away from the payment's detail screen.

              Your reader is ready. From now on it connects automatically whenever the app is open.
            `,
          },
          {
            id: 'contact-support',
            title: 'Contact support',
            body: md`
              Sorry – the reader still can't be found. Please contact support from the app via **Profile → Help** and include the serial number from the back of the reader and your phone model. If the device is faulty, we'll send you a replacement under warranty.
            `,
          },
        ],
      },
      de: {
        title: 'Kartenlesegerät per Bluetooth mit dem Smartphone koppeln',
        keywords: ['Kartenleser', 'Kartenlesegerät', 'koppeln', 'Bluetooth', 'verbinden', 'Terminal', 'Northwind Reader'],
        body: md`
          Der Northwind Reader verbindet sich per Bluetooth mit der mobilen App, damit Sie Kartenzahlungen mit Chip, PIN oder kontaktlos annehmen können. Das Koppeln dauert etwa zwei Minuten und ist pro Smartphone nur einmal nötig.
        `,
        steps: [
          {
            id: 'charge',
            title: 'Gerät laden und einschalten',
            body: md`
              Laden Sie das Gerät vor der ersten Nutzung mindestens 30 Minuten mit dem beiliegenden USB-C-Kabel. Halten Sie dann die Ein-/Aus-Taste an der Seite 3 Sekunden gedrückt, bis das Display aufleuchtet.

              Das Gerät zeigt **Bereit zum Koppeln** an und blinkt blau.
            `,
            next: 'prepare-phone',
          },
          {
            id: 'prepare-phone',
            title: 'Smartphone vorbereiten',
            body: md`
              - Aktualisieren Sie die Northwind-Cloud-App auf die neueste Version (iOS 16 / Android 10 oder neuer).
              - Schalten Sie **Bluetooth** ein.
              - Erlauben Sie der App unter Android zusätzlich die Berechtigung **Geräte in der Nähe** (bei älteren Versionen: **Standort**).

              Koppeln Sie das Gerät nicht in den Bluetooth-Einstellungen des Telefons – das Koppeln erfolgt in der App.
            `,
            next: 'pair',
          },
          {
            id: 'pair',
            title: 'In der App koppeln',
            body: md`
              Tippen Sie in der App auf **Profil → Kartenlesegerät → Gerät hinzufügen** und halten Sie das Gerät höchstens einen Meter vom Telefon entfernt.

              Erscheint Ihr Gerät in der Liste? Es heißt *NW-*, gefolgt von den letzten vier Ziffern der Seriennummer auf der Rückseite.
            `,
            choices: [
              { label: 'Ja, ich sehe es', next: 'confirm-code' },
              { label: 'Nein, es wird nicht angezeigt', next: 'not-found' },
            ],
          },
          {
            id: 'not-found',
            title: 'Gerät wird nicht gefunden',
            body: md`
              Probieren Sie nacheinander:

              1. Starten Sie das Gerät neu, indem Sie die Ein-/Aus-Taste 10 Sekunden gedrückt halten.
              2. Achten Sie darauf, dass das Gerät nicht noch mit einem anderen Telefon oder Tablet verbunden ist – schalten Sie Bluetooth an anderen Geräten in der Nähe aus.
              3. Beenden Sie die App vollständig und öffnen Sie sie erneut.
              4. Zeigt das Gerät **Update erforderlich**, schließen Sie es an den Strom an und warten Sie, bis das Update abgeschlossen ist.

              Wird das Gerät jetzt angezeigt?
            `,
            choices: [
              { label: 'Ja, jetzt wird es angezeigt', next: 'confirm-code' },
              { label: 'Nein, immer noch nicht', next: 'contact-support' },
            ],
          },
          {
            id: 'confirm-code',
            title: 'Kopplungscode bestätigen',
            body: md`
              Tippen Sie in der Liste auf das Gerät. Auf Gerät und Telefon erscheint ein sechsstelliger Code. Stimmen beide überein, tippen Sie in der App auf **Koppeln** und drücken die grüne Taste am Gerät.

              Eventuell installiert das Gerät jetzt ein Firmware-Update; das dauert bis zu fünf Minuten. Lassen Sie es so lange in der Nähe des Telefons.
            `,
            next: 'test-payment',
          },
          {
            id: 'test-payment',
            title: 'Testzahlung durchführen',
            body: md`
              Tippen Sie auf **Neue Zahlung**, geben Sie 1,00 € ein und halten Sie Ihre eigene Karte an das Gerät. Ist die Zahlung erfolgreich, können Sie sie in der Detailansicht der Zahlung sofort erstatten.

              Ihr Kartenlesegerät ist einsatzbereit. Ab jetzt verbindet es sich automatisch, sobald die App geöffnet ist.
            `,
          },
          {
            id: 'contact-support',
            title: 'Support kontaktieren',
            body: md`
              Schade – das Gerät wird weiterhin nicht gefunden. Wenden Sie sich in der App über **Profil → Hilfe** an den Support und nennen Sie die Seriennummer von der Rückseite des Geräts sowie Ihr Telefonmodell. Ist das Gerät defekt, erhalten Sie im Rahmen der Garantie Ersatz.
            `,
          },
        ],
      },
    },
  },
  {
    slug: 'track-your-order',
    category: 'orders-and-shipping',
    translations: {
      en: {
        title: 'Track your card reader order',
        keywords: ['track order', 'tracking number', 'order status', 'DHL', 'parcel', 'delivery status', 'shipment'],
        body: md`
          Card readers and accessories are shipped with DHL from our warehouse in Leipzig, Germany.

          ## Order status
          Go to **Settings → Hardware → Orders** to see the status of each order:
          - **Received** – we have your order and payment.
          - **Packed** – your parcel is ready and waiting for DHL.
          - **Shipped** – the parcel is on its way; the tracking number appears here.
          - **Delivered** – DHL has confirmed the delivery.

          You also get an email with the **tracking number** as soon as the parcel leaves the warehouse. Orders placed on a business day before 14:00 usually ship the same day.

          ## Tracking says delivered, but nothing arrived
          Check with neighbours, your reception or mail room, and look for a DHL card in your letterbox. DHL sometimes delivers to a nearby Packstation or parcel shop. If the parcel still hasn't turned up after 2 business days, contact us with the order number – we'll open an investigation with DHL and send a replacement if needed.

          ## Change the delivery address
          You can change the address until the order is **Packed**. After that, use DHL's redirection service via the tracking link.
        `,
      },
      de: {
        title: 'Bestellung des Kartenlesegeräts verfolgen',
        keywords: [
          'Sendungsverfolgung',
          'Bestellung verfolgen',
          'Sendungsnummer',
          'DHL',
          'Paket',
          'Lieferstatus',
          'Bestellstatus',
        ],
        body: md`
          Kartenlesegeräte und Zubehör versenden wir mit DHL aus unserem Lager in Leipzig.

          ## Bestellstatus
          Unter **Einstellungen → Hardware → Bestellungen** sehen Sie den Status jeder Bestellung:
          - **Eingegangen** – Bestellung und Zahlung sind bei uns eingegangen.
          - **Verpackt** – Ihr Paket liegt für DHL bereit.
          - **Versendet** – das Paket ist unterwegs; hier erscheint die Sendungsnummer.
          - **Zugestellt** – DHL hat die Zustellung bestätigt.

          Sobald das Paket das Lager verlässt, erhalten Sie außerdem eine E-Mail mit der **Sendungsnummer**. Bestellungen, die an einem Werktag vor 14:00 Uhr eingehen, gehen in der Regel noch am selben Tag raus.

          ## Laut Sendungsverfolgung zugestellt, aber nichts angekommen
          Fragen Sie bei Nachbarn, am Empfang oder in der Poststelle nach und schauen Sie, ob eine DHL-Benachrichtigungskarte im Briefkasten liegt. Manchmal stellt DHL an eine nahe Packstation oder Filiale zu. Ist das Paket nach 2 Werktagen immer noch nicht aufgetaucht, melden Sie sich mit der Bestellnummer bei uns – wir stellen einen Nachforschungsauftrag bei DHL und schicken bei Bedarf Ersatz.

          ## Lieferadresse ändern
          Solange die Bestellung nicht **Verpackt** ist, können Sie die Adresse noch ändern. Danach nutzen Sie den Umleitungsservice von DHL über den Link zur Sendungsverfolgung.
        `,
      },
    },
  },
  {
    slug: 'shipping-times-and-countries',
    category: 'orders-and-shipping',
    translations: {
      en: {
        title: 'Shipping times, costs and countries',
        keywords: ['shipping', 'delivery time', 'shipping cost', 'countries', 'express', 'customs', 'international shipping'],
        body: md`
          We ship the Northwind card reader and accessories to the following countries:

          | Destination | Delivery time | Shipping cost |
          |---|---|---|
          | Germany | 1–2 business days | free |
          | Austria, Netherlands, Belgium, Luxembourg, Denmark, France | 2–4 business days | €4.90 |
          | Other EU countries | 3–6 business days | €7.90 |
          | Switzerland, United Kingdom, Norway | 4–8 business days | €14.90 |

          Delivery times are counted from dispatch. Orders placed before 14:00 on business days usually leave our Leipzig warehouse the same day.

          ## Express delivery
          Within Germany you can choose DHL Express for €12.90; orders placed before 12:00 arrive on the next business day.

          ## Customs outside the EU
          For Switzerland, the UK and Norway we ship **DDP** (delivered duty paid): import VAT and customs fees are included in the price, so there's nothing extra to pay on delivery.

          ## Where we don't ship
          We currently can't deliver outside Europe, or to PO boxes outside Germany. The Northwind Cloud software itself can be used worldwide.

          ## Public holidays
          Around Christmas and on German public holidays our warehouse is closed; expect one or two extra days.
        `,
      },
      de: {
        title: 'Lieferzeiten, Versandkosten und Lieferländer',
        keywords: ['Versand', 'Lieferzeit', 'Versandkosten', 'Lieferländer', 'Express', 'Zoll', 'Auslandsversand'],
        body: md`
          Das Northwind-Kartenlesegerät und Zubehör liefern wir in folgende Länder:

          | Ziel | Lieferzeit | Versandkosten |
          |---|---|---|
          | Deutschland | 1–2 Werktage | kostenlos |
          | Österreich, Niederlande, Belgien, Luxemburg, Dänemark, Frankreich | 2–4 Werktage | 4,90 € |
          | Übrige EU-Länder | 3–6 Werktage | 7,90 € |
          | Schweiz, Vereinigtes Königreich, Norwegen | 4–8 Werktage | 14,90 € |

          Die Lieferzeit zählt ab Versand. Bestellungen, die werktags vor 14:00 Uhr eingehen, verlassen unser Lager in Leipzig meist noch am selben Tag.

          ## Expressversand
          Innerhalb Deutschlands können Sie DHL Express für 12,90 € wählen; bei Bestellung vor 12:00 Uhr kommt das Paket am nächsten Werktag.

          ## Zoll außerhalb der EU
          In die Schweiz, nach Großbritannien und nach Norwegen liefern wir **verzollt und versteuert (DDP)**: Einfuhrumsatzsteuer und Zollgebühren sind im Preis enthalten, bei der Zustellung fällt nichts mehr an.

          ## Wohin wir nicht liefern
          Außerhalb Europas können wir derzeit nicht liefern, ebenso wenig an Postfächer außerhalb Deutschlands. Die Software Northwind Cloud selbst ist weltweit nutzbar.

          ## Feiertage
          Rund um Weihnachten und an bundesweiten Feiertagen ist unser Lager geschlossen; rechnen Sie dann mit ein bis zwei Tagen mehr.
        `,
      },
    },
  },
  {
    slug: 'return-or-damaged-item',
    category: 'orders-and-shipping',
    translations: {
      en: {
        title: 'Return a card reader or report a damaged delivery',
        keywords: ['return', 'damaged', 'broken', 'defective', 'replacement', 'warranty', 'send back'],
        body: md`
          ## Damaged or missing parts
          If your parcel arrives damaged, or the reader doesn't switch on straight out of the box, report it **within 14 days**:
          1. Take photos of the packaging, the shipping label and the damaged item.
          2. Go to **Settings → Hardware → Orders**, open the order and click **Report a problem**.
          3. Upload the photos and describe what's wrong.

          We send a replacement free of charge, usually within 2 business days, together with a prepaid return label for the faulty device. You don't have to wait until your return arrives.

          ## Returns – changed your mind
          You can return an unused card reader **within 30 days** of delivery for a full refund. Click **Return item** on the order, print the free return label and send the reader back in its original packaging. The refund goes to your original payment method within 5 business days after we receive it.

          ## Warranty
          The card reader comes with a **2-year warranty**. If it stops working later on, use **Report a problem** as well; we'll check the device and replace it if it's covered. Damage caused by water or drops isn't covered.
        `,
      },
      de: {
        title: 'Kartenlesegerät zurücksenden oder Transportschaden melden',
        keywords: ['Rücksendung', 'beschädigt', 'kaputt', 'defekt', 'Ersatz', 'Garantie', 'Widerruf', 'Umtausch'],
        body: md`
          ## Beschädigte Lieferung oder fehlende Teile
          Kommt Ihr Paket beschädigt an oder lässt sich das Gerät direkt nach dem Auspacken nicht einschalten, melden Sie das bitte **innerhalb von 14 Tagen**:
          1. Fotografieren Sie Verpackung, Versandetikett und das beschädigte Gerät.
          2. Öffnen Sie **Einstellungen → Hardware → Bestellungen**, wählen Sie die Bestellung und klicken Sie auf **Problem melden**.
          3. Laden Sie die Fotos hoch und beschreiben Sie den Schaden.

          Wir schicken Ihnen kostenlos Ersatz, meist innerhalb von 2 Werktagen, zusammen mit einem frankierten Rücksendeetikett für das defekte Gerät. Sie müssen nicht warten, bis Ihre Rücksendung bei uns ist.

          ## Rückgabe – doch nicht benötigt
          Ein unbenutztes Kartenlesegerät können Sie **innerhalb von 30 Tagen** nach Lieferung zurückgeben und erhalten den vollen Kaufpreis zurück. Klicken Sie in der Bestellung auf **Artikel zurücksenden**, drucken Sie das kostenlose Rücksendeetikett aus und schicken Sie das Gerät in der Originalverpackung zurück. Die Erstattung erfolgt innerhalb von 5 Werktagen nach Eingang auf Ihre ursprüngliche Zahlungsart.

          ## Garantie
          Auf das Kartenlesegerät gibt es **2 Jahre Garantie**. Fällt es später aus, nutzen Sie ebenfalls **Problem melden**; wir prüfen das Gerät und ersetzen es, wenn der Fall abgedeckt ist. Wasser- und Sturzschäden sind ausgeschlossen.
        `,
      },
    },
  },
];
