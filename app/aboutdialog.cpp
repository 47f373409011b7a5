#include "aboutdialog.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QMainWindow>
#include <QMenuBar>
#include <QVBoxLayout>
#include <qcustomplot.h>

AboutDialog::AboutDialog(QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("aboutDialog"));
    setWindowTitle(tr("About Perpscope"));

    auto *icon = new QLabel(this);
    icon->setPixmap(QIcon(QStringLiteral(":/icons/perpscope.svg")).pixmap(96, 96));
    icon->setAlignment(Qt::AlignTop);

    auto *label = new QLabel(text(), this);
    label->setObjectName(QStringLiteral("aboutText"));
    label->setWordWrap(true);
    label->setTextFormat(Qt::RichText);
    label->setTextInteractionFlags(Qt::TextBrowserInteraction);
    label->setOpenExternalLinks(true);
    label->setMinimumWidth(520);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *row = new QHBoxLayout;
    row->addWidget(icon);
    row->addWidget(label, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(buttons);
}

QString AboutDialog::text()
{
    return tr("<h2>Perpscope %1</h2>"
              "<p>Leverage analytics for crypto perpetual futures: price, funding, open interest and "
              "liquidations on one time axis.</p>"
              "<p>Built with Qt %2 (running on Qt %3) and QCustomPlot %4; history is kept in SQLite.</p>"
              "<p><b>Licence.</b> Copyright © 2026 the Perpscope authors. Perpscope is free software: you can "
              "redistribute it and/or modify it under the terms of the GNU General Public License, version 3 or "
              "(at your option) any later version (GPL-3.0-or-later). It comes with ABSOLUTELY NO WARRANTY. See "
              "<a href=\"https://www.gnu.org/licenses/gpl-3.0.html\">gnu.org/licenses/gpl-3.0.html</a>.</p>"
              "<p><b>Data sources.</b></p><ul>"
              "<li><b>Simulator</b> (shown with a SIMULATED badge): Perpscope's built-in agent-based market model. "
              "Its prices, funding, open interest and liquidations are generated, not recorded; they describe no "
              "real market and must not be read as one.</li>"
              "<li><b>Binance USDS-M futures</b>: Binance's public market data (REST and WebSocket APIs and the "
              "data.binance.vision history files). The data belongs to Binance and is subject to its terms of use.</li>"
              "<li><b>Imported files</b>: exchange history files and CSV files you import yourself.</li>"
              "<li>The <b>liquidation heatmap</b> is a model's prediction of where leveraged positions would be "
              "liquidated, not exchange data.</li></ul>"
              "<p><b>Acknowledgments.</b> This product includes software developed by Bryant Moscon "
              "(<a href=\"http://www.bryantmoscon.com/\">http://www.bryantmoscon.com/</a>): the exchange message "
              "captures in Perpscope's test data were recorded by cryptofeed, Copyright © 2017-2025 Bryant Moscon.</p>"
              "<p><b>Not financial advice.</b> Perpscope is an analysis tool; nothing it shows is a recommendation "
              "to trade.</p>"
              "<p><a href=\"https://perpscope.org\">perpscope.org</a></p>")
        .arg(QStringLiteral(PERPSCOPE_VERSION), QStringLiteral(QT_VERSION_STR), QString::fromLatin1(qVersion()),
             QStringLiteral(QCUSTOMPLOT_VERSION_STR));
}

QMenu *AboutDialog::addHelpMenu(QMainWindow *window)
{
    QMenu *help = window->menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Perpscope"), window, [window] {
            auto *about = window->findChild<AboutDialog *>();
            if (!about)
                about = new AboutDialog(window);
            about->show();
            about->raise();
            about->activateWindow();
        })->setMenuRole(QAction::AboutRole);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt)->setMenuRole(QAction::AboutQtRole);
    return help;
}
