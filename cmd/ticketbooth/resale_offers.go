package main

import (
	"fmt"
	"io"

	"github.com/urfave/cli/v2"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

func resaleCommand() *cli.Command {
	offerID := &cli.Int64Flag{Name: "offer", Required: true, Usage: "the offer's `ID` (as 'resale offer' or 'resale list' printed it)"}
	proof := []cli.Flag{
		&cli.StringFlag{Name: "secret", Usage: "the ticket's current 15-character secret, when the holder gives it"},
		&cli.StringFlag{Name: "sender", Usage: "the holder's `ACCOUNT`, checked when given (customer:ID for a customer)"},
	}
	return &cli.Command{
		Name:  "resale",
		Usage: "the secondary market: the organizer's terms, holders' offers, buying one for a customer, the sellers' credits",
		Subcommands: []*cli.Command{
			{
				Name:      "terms",
				Usage:     "show the resale terms of the contract's latest sale, or set them (its organizer): the price cap and the release fee",
				UsageText: "ticketbooth resale terms --contract ADDR [--cap-percent 120 | --cap-amount 5000] [--fee-percent 10 | --fee-amount 200]",
				Flags: append(connFlags(), contractFlag(),
					&cli.Int64Flag{Name: "cap-percent", Usage: "the highest resale price as a percent of the ticket's face value (default 100: the face value)"},
					&cli.Int64Flag{Name: "cap-amount", Usage: "or the highest resale price of every ticket, in minor units of the sale's currency"},
					&cli.Int64Flag{Name: "fee-percent", Usage: "the release fee kept from the seller, as a percent of the price (default 0)"},
					&cli.Int64Flag{Name: "fee-amount", Usage: "or the release fee as an amount, in minor units of the sale's currency"},
				),
				Action: contractAction(resaleTerms),
			},
			{
				Name:      "offer",
				Usage:     "offer a sold ticket for resale at a price no higher than the organizer's cap, and print the offer's id",
				UsageText: "ticketbooth resale offer --contract ADDR --seat 1A --price 4500 [--secret SECRET]",
				Flags: append(append(connFlags(), contractFlag(),
					&cli.StringFlag{Name: "seat", Required: true, Usage: "the seat whose ticket to offer (1A, 12, A or Section/12A)"},
					&cli.Int64Flag{Name: "price", Required: true, Usage: "the asking price, in minor units of the sale's currency"},
					quietFlag()), proof...),
				Action: contractAction(resaleOffer),
			},
			{
				Name:   "list",
				Usage:  "list the open offers of the contract's latest sale",
				Flags:  append(connFlags(), contractFlag()),
				Action: contractAction(resaleList),
			},
			{
				Name:   "withdraw",
				Usage:  "withdraw an open offer (the key that made it, one that may act for the holder, or with the ticket's secret)",
				Flags:  append(append(connFlags(), offerID), proof...),
				Action: customerAction(resaleWithdraw),
			},
			{
				Name:      "buy",
				Usage:     "buy an open offer for a customer: the ticket moves to them with a new secret, and is mailed to them",
				UsageText: "ticketbooth resale buy --offer ID --customer ID [--out FILE]",
				Flags: append(connFlags(), offerID,
					&cli.Int64Flag{Name: "customer", Required: true, Usage: "the buying customer's `ID`"},
					&cli.StringFlag{Name: "name", Usage: "the buyer's name printed and checked at the gate (default: the customer's)"},
					sendFlag(), ticketOutFlag(), layoutFlag()),
				Action: customerAction(resaleBuy),
			},
			{
				Name:   "credits",
				Usage:  "list what the contract's sold offers owe their sellers: the price less the release fee (its organizer)",
				Flags:  append(connFlags(), contractFlag()),
				Action: contractAction(resaleCredits),
			},
		},
	}
}

func resaleTerms(c *cli.Context, s *session, address string) error {
	currency, err := s.currency(address)
	if err != nil {
		return err
	}
	t := ledger.ResaleTerms{CapPercent: c.Int64("cap-percent"), CapAmount: c.Int64("cap-amount"),
		FeePercent: c.Int64("fee-percent"), FeeAmount: c.Int64("fee-amount")}
	if c.IsSet("cap-percent") || c.IsSet("cap-amount") || c.IsSet("fee-percent") || c.IsSet("fee-amount") {
		if _, err := s.resale.SetResaleTerms(s.ctx, address, t); err != nil {
			return err
		}
	}
	t, err = s.resale.ResaleTerms(s.ctx, address)
	if err != nil {
		return err
	}
	return s.print(t, func(w io.Writer) {
		switch {
		case t.CapAmount > 0:
			fmt.Fprintf(w, "price cap     %s a ticket\n", ledger.FormatAmount(currency, t.CapAmount))
		case t.CapPercent > 0:
			fmt.Fprintf(w, "price cap     %d%% of the face value\n", t.CapPercent)
		default:
			fmt.Fprintf(w, "price cap     the face value\n")
		}
		if t.FeeAmount > 0 {
			fmt.Fprintf(w, "release fee   %s a resale\n", ledger.FormatAmount(currency, t.FeeAmount))
		} else {
			fmt.Fprintf(w, "release fee   %d%% of the price\n", t.FeePercent)
		}
	})
}

func resaleOffer(c *cli.Context, s *session, address string) error {
	seat, err := ledger.ParseSeat(c.String("seat"))
	if err != nil {
		return err
	}
	o, err := s.resale.OfferResale(s.ctx, address, ledger.OfferRequest{Seat: seat, Price: c.Int64("price"), Secret: c.String("secret"),
		Sender: c.String("sender")})
	if err != nil {
		return err
	}
	if c.Bool("quiet") {
		fmt.Fprintln(s.out, o.ID)
		return nil
	}
	return s.print(o, func(w io.Writer) { printOffer(w, o) })
}

func printOffer(w io.Writer, o ledger.ResaleOffer) {
	fmt.Fprintf(w, "offer %d  seat %s  price %d (face value %d)  %s\n", o.ID, o.Seat, o.Price, o.FaceValue, o.State)
}

func resaleList(c *cli.Context, s *session, address string) error {
	list, err := s.resale.ResaleOffers(s.ctx, address)
	if err != nil {
		return err
	}
	return s.print(api.OffersResponse{Offers: list}, func(w io.Writer) {
		for _, o := range list {
			printOffer(w, o)
		}
		fmt.Fprintf(w, "%d open offers\n", len(list))
	})
}

func resaleWithdraw(c *cli.Context, s *session) error {
	o, err := s.resale.WithdrawResale(s.ctx, c.Int64("offer"), ledger.WithdrawRequest{Secret: c.String("secret"), Sender: c.String("sender")})
	if err != nil {
		return err
	}
	return s.print(o, func(w io.Writer) { printOffer(w, o) })
}

func resaleBuy(c *cli.Context, s *session) error {
	d, err := s.resale.BuyOffer(s.ctx, c.Int64("offer"), api.BuyBody{Customer: c.Int64("customer"), CustomerName: c.String("name"), Send: sendAsked(c)})
	if err != nil {
		return err
	}
	return s.printDelivered(c, d, fmt.Sprintf("bought offer %d for customer %d at %d (seller credited %d after a fee of %d)",
		d.Offer.ID, d.Customer, d.Offer.Price, d.Offer.Credit, d.Offer.Fee))
}

func resaleCredits(c *cli.Context, s *session, address string) error {
	list, err := s.resale.ResaleCredits(s.ctx, address)
	if err != nil {
		return err
	}
	return s.print(api.CreditsResponse{Credits: list}, func(w io.Writer) {
		var total int64
		for _, cr := range list {
			fmt.Fprintf(w, "offer %d  seat %s  %s  price %d  fee %d  credit %d  %s\n", cr.Offer, cr.Seat, cr.Account, cr.Price, cr.Fee,
				cr.Credit, cr.Sold.Format("2006-01-02 15:04 MST"))
			total += cr.Credit
		}
		fmt.Fprintf(w, "%d sold offers, %d owed to their sellers\n", len(list), total)
	})
}
