/*
 * The vocabulary of generated instances (praxis demo --scale): some three
 * thousand words and phrases by part of speech, each list ordered from the
 * most to the least common, since the generator draws rank r with a
 * probability near 1/r. Words are separated by commas; a phrase may hold
 * spaces. Only letters, digits, '-' and spaces appear, so the Markdown made
 * from them needs no escaping in HTML.
 */
#include "feature/demo/demo_int.h"

static const char noun[] =
    "time,lesson,class,question,way,work,year,week,term,day,idea,example,team,group,task,problem,"
    "answer,practice,feedback,plan,topic,session,meeting,approach,resource,change,result,point,"
    "part,thing,reason,experience,evidence,research,policy,course,unit,level,skill,knowledge,"
    "support,training,role,process,system,model,data,report,book,sheet,page,list,note,minute,"
    "hour,month,start,end,room,board,chart,picture,word,language,story,step,stage,goal,target,"
    "aim,priority,issue,concern,challenge,difficulty,mistake,error,success,progress,improvement,"
    "outcome,impact,effect,difference,pattern,trend,habit,routine,rule,expectation,standard,"
    "rubric,checklist,template,form,survey,interview,conversation,discussion,debate,argument,"
    "opinion,view,perspective,context,culture,community,network,partner,family,visitor,leader,"
    "manager,mentor,coach,trainee,newcomer,expert,specialist,researcher,author,speaker,reader,"
    "writer,listener,learner,beginner,peer,friend,member,guest,volunteer,staff,department,office,"
    "building,corridor,library,hall,canteen,timetable,calendar,deadline,schedule,agenda,summary,"
    "review,reflection,observation,visit,workshop,conference,seminar,webinar,video,recording,"
    "podcast,article,paper,study,trial,project,pilot,experiment,test,quiz,exam,audit,inspection,"
    "budget,cost,funding,grant,bid,proposal,request,decision,choice,option,alternative,solution,"
    "strategy,tactic,technique,method,tool,device,app,website,platform,software,spreadsheet,"
    "document,file,folder,email,message,letter,phone,call,chat,thread,post,comment,reply,link,"
    "image,photo,diagram,graph,map,sketch,drawing,poster,display,slide,handout,worksheet,booklet,"
    "guide,manual,handbook,framework,curriculum,syllabus,specification,scheme,programme,pathway,"
    "journey,transition,induction,handover,shift,break,lunch,holiday,weekend,morning,afternoon,"
    "evening,night,moment,period,season,spring,summer,autumn,winter,confidence,motivation,"
    "attention,behaviour,attendance,engagement,participation,wellbeing,workload,stress,pressure,"
    "balance,energy,patience,curiosity,creativity,resilience,independence,responsibility,trust,"
    "respect,honesty,kindness,humour,voice,agency,ownership,belonging,identity,relationship,"
    "connection,collaboration,cooperation,partnership,leadership,management,governance,"
    "accountability,quality,safety,risk,hazard,incident,complaint,query,doubt,worry,fear,hope,"
    "wish,vision,mission,purpose,value,principle,belief,assumption,theory,concept,definition,"
    "vocabulary,phrase,sentence,paragraph,chapter,section,heading,title,label,caption,key,legend,"
    "column,row,cell,box,line,arrow,circle,square,shape,colour,size,length,width,height,weight,"
    "distance,speed,rate,share,portion,amount,number,total,count,score,mark,grade,band,threshold,"
    "baseline,benchmark,measure,indicator,metric,figure,statistic,estimate,guess,prediction,"
    "forecast,sample,population,response,answer key,mark scheme,success criteria,learning "
    "objective,starter,plenary,homework,revision,catch-up,intervention,extension,challenge task";

static const char noun_more[] =
    "seating plan,register,lanyard,badge,uniform,bag,pen,pencil,highlighter,sticky note,whiteboard,"
    "projector,screen,laptop,tablet,printer,photocopier,stapler,envelope,box file,drawer,cupboard,"
    "shelf,desk,chair,window,door,staffroom,kettle,coffee,tea,biscuit,cake,sandwich,meal,queue,"
    "bus,train,car,bike,journey home,commute,traffic,weather,rain,snow,heat,wind,sunshine,"
    "storm,flood,power cut,fire drill,alarm,emergency,accident,illness,cold,cough,headache,"
    "appointment,surgery visit,dentist,birthday,wedding,funeral,celebration,party,trip,outing,"
    "museum,gallery,park,garden,beach,forest,mountain,river,lake,village,town,city,region,"
    "country,island,border,coast,harbour,market,shop,bank,post office,station,airport,hotel,"
    "restaurant,cafe,bakery,pharmacy visit,hospital visit,clinic visit,council,charity,church,"
    "mosque,temple,club,choir,orchestra,band practice,football,cricket,rugby,netball,hockey,"
    "swimming,running,cycling,chess,puzzle book,novel,poem,song,film,series,episode,game,"
    "hobby,garden shed,allotment,kitchen,recipe,ingredient,dinner,breakfast,snack,fruit,apple,"
    "banana,orange,bread,cheese,soup,salad,rice,pasta,curry,pizza,chocolate,juice,water bottle,"
    "umbrella,coat,jumper,scarf,glove,boot,shoe,hat,watch,clock,timer,stopwatch,bell,whistle,"
    "microphone,speaker system,camera,webcam,headset,cable,charger,battery,socket,plug,switch,"
    "light,lamp,heater,fan,radiator,thermostat,blind,curtain,carpet,floor,ceiling,wall,roof,"
    "stairs,lift,ramp,entrance,exit,reception,car park,field,pitch,court,gym,studio,lab,"
    "workshop space,theatre space,stage set,costume,prop,script,rehearsal,performance,audience,"
    "applause,interval,ticket,programme note,leaflet,flyer,banner,sign,notice,bulletin,newsletter,"
    "blog,forum,wiki,survey form,petition,vote,election,candidate,campaign,slogan,logo,brand,"
    "website page,search,index,archive,history,memory,anniversary,milestone,landmark,turning point,"
    "crossroads,dilemma,paradox,puzzle,riddle,mystery,surprise,shock,relief,joy,pride,shame,"
    "guilt,regret,envy,gratitude,sympathy,empathy,compassion,generosity,loyalty,courage,"
    "determination,persistence,grit,focus,discipline,calm,chaos,noise,silence,pause,rhythm,pace,"
    "flow,momentum,friction,tension,conflict,compromise,consensus,agreement,contract,promise,"
    "commitment,obligation,duty,right,freedom,choice architecture,nudge,incentive,reward,sanction,"
    "consequence,warning,reminder,prompt,cue,signal,gesture,smile,frown,nod,wave,handshake,hug,"
    "greeting,farewell,welcome,introduction,conclusion,recommendation,suggestion,tip,trick,hack,"
    "shortcut,detour,obstacle,barrier,bridge,ladder,scaffold,crutch,anchor,compass point,"
    "lighthouse,beacon,spark,seed,root,branch,leaf,flower,fruit tree,harvest,crop,field trip,"
    "expedition,adventure,quest,mission statement,manifesto,charter,constitution,code of conduct,"
    "etiquette,manners,tradition,ritual,ceremony,assembly hall,gathering,reunion,cohort,"
    "generation,decade,century,era,age,childhood,adolescence,adulthood,retirement,career,"
    "profession,vocation,calling,job,post title,vacancy,application,shortlist,offer,salary,pension,"
    "contract renewal,notice period,sabbatical,secondment,placement,internship,apprenticeship,"
    "degree,diploma,certificate,qualification,award,prize,medal,trophy,scholarship,bursary,loan,"
    "debt,savings,expense,invoice,receipt,refund,discount,voucher,subscription,membership fee";

static const char noun_maths[] =
    "fraction,equation,number,algebra,graph,ratio,percentage,angle,probability,decimal,geometry,"
    "proportion,area,statistics,triangle,function,expression,variable,times table,calculator,"
    "negative number,place value,bar model,number line,sequence,formula,inequality,simultaneous "
    "equations,quadratic,gradient,coordinate,perimeter,volume,factor,multiple,prime,integer,"
    "coefficient,intercept,axis,vector,matrix,transformation,rotation,translation,enlargement,"
    "symmetry,polygon,radius,diameter,circumference,sector,arc,chord,tangent,sine,cosine,"
    "trigonometry,hypotenuse,surd,index,power,root,square number,cube number,prism,cylinder,cone,"
    "sphere,pyramid,net,elevation,bearing,scale drawing,locus,construction,congruence,similarity,"
    "proof,conjecture,counterexample,estimation,rounding,significant figure,standard form,mean,"
    "median,mode,range,histogram,scatter graph,correlation,frequency,tally,pie chart,bar chart,"
    "box plot,quartile,outlier,tree diagram,venn diagram,sample space,calculus,derivative,"
    "integral,limit,differentiation,integration,logarithm,exponential,binomial,series,sum,"
    "product,quotient,remainder,divisor,numerator,denominator,mixed number,improper fraction,"
    "equivalent fraction,common denominator,long division,short division,column addition,"
    "subtraction,multiplication,division,addition,arithmetic,mental arithmetic,number bond,"
    "counter,multilink cube,dienes block,bead string,cuisenaire rod,manipulative,hundred square,"
    "multiplication grid,mini whiteboard,mathematician,misconception,hinge question,worked "
    "example,exit ticket,practice book,textbook,exercise,investigation,rich task,open question,"
    "mechanics,force,velocity,acceleration,moment,projectile,kinematics,data set,protractor,"
    "compass,ruler,set square,graph paper,dot paper,isometric paper,geoboard,tangram,pentomino,"
    "dice,spinner,playing card,domino,abacus,number rod,fraction wall,ratio table,double number "
    "line,area model,grid method,bus stop method,column method,partitioning,bridging,compensation,"
    "doubling,halving,skip counting,subitising,unitising,conservation,cardinality,ordinality,"
    "commutativity,associativity,distributivity,inverse,identity element,zero,infinity,limit "
    "point,asymptote,turning point,root of an equation,discriminant,completing the square,"
    "quadratic formula,factorising,expanding brackets,collecting like terms,substitution,"
    "elimination,rearranging,changing the subject,function machine,mapping diagram,domain,"
    "codomain,composite function,inverse function,arithmetic sequence,geometric sequence,nth term,"
    "fibonacci sequence,triangular number,pascal triangle,magic square,sudoku,kakuro,"
    "tessellation,fractal,spiral,golden ratio,proof by contradiction,proof by induction,lemma,"
    "theorem,axiom,corollary,pythagoras theorem,circle theorem,angle in a semicircle,alternate "
    "angle,corresponding angle,interior angle,exterior angle,reflex angle,obtuse angle,acute angle,"
    "right angle,parallel line,perpendicular bisector,midpoint,centroid,circumcentre,incentre,"
    "unit circle,radian,degree,bearings problem,speed distance time,compound interest,simple "
    "interest,depreciation,exchange rate,best buy,recipe problem,direct proportion,inverse "
    "proportion,rate of change,kinematic graph,cumulative frequency,stem and leaf,two-way table,"
    "frequency tree,relative frequency,expected value,independent event,conditional probability,"
    "sampling method,questionnaire design,hypothesis test,normal distribution,standard deviation,"
    "variance,regression line,residual,interpolation,extrapolation";

static const char noun_care[] =
    "patient,wound,dressing,nurse,ward,skin,ulcer,pressure injury,infection,bed,mattress,"
    "medication,dose,handover,doctor,carer,relative,discharge,admission,clinic,district nurse,"
    "home visit,care home,consultant,physiotherapist,dietitian,pharmacist,hospice,theatre,"
    "intensive care,recovery,surgery,incision,suture,staple,drain,catheter,cannula,fluid,exudate,"
    "slough,granulation,tissue,necrosis,eschar,wound edge,heel,sacrum,hip,ankle,foot,toe,leg,knee,"
    "elbow,shoulder,spine,compression,bandage,stocking,doppler,pulse,circulation,oedema,swelling,"
    "redness,pain,itch,odour,temperature,fever,sepsis,antibiotic,swab,specimen,laboratory,scan,"
    "x-ray,photograph,measurement,consent,dignity,privacy,confidentiality,documentation,record,"
    "care plan,risk assessment,risk score,turning chart,repositioning,mobility,nutrition,"
    "hydration,continence,moisture,barrier cream,barrier film,emollient,foam dressing,"
    "hydrocolloid,alginate,hydrogel,silver dressing,honey dressing,iodine,saline,gauze,tape,"
    "adhesive film,padding,offloading,heel boot,splint,wheelchair,hoist,sling,walking frame,"
    "crutch,prosthesis,amputation,diabetes,glucose,insulin,neuropathy,artery,vein,capillary,burn,"
    "skin graft,flap,scar,laceration,abrasion,blister,bruise,skin tear,maceration,shear,"
    "dehiscence,haematoma,abscess,cellulitis,biofilm,debridement,irrigation,negative pressure "
    "therapy,vacuum pump,canister,seal,leak,monitor,early warning score,escalation,protocol,"
    "care bundle,incident report,safeguarding,tissue viability,infection control,hand hygiene,"
    "gloves,apron,gown,face mask,sharps bin,clinical waste,dressing trolley,sterile field,aseptic "
    "technique,student nurse,healthcare assistant,matron,ward sister,charge nurse,night staff,"
    "day staff,agency nurse,rota,staffing level,bed manager,supplies,stock cupboard,formulary,"
    "prescription,drug round,observation chart,fluid balance chart,food chart,pain score,"
    "sedation,anaesthetic,ventilator,oxygen,nebuliser,inhaler,tracheostomy,stoma,colostomy,"
    "ileostomy,feeding tube,nasogastric tube,peg tube,urinary catheter,commode,bedpan,hospital "
    "gown,pressure relieving mattress,air mattress,cushion,pillow,wedge,slide sheet,profiling "
    "bed,bed rail,call bell,bedside table,curtain round,side room,isolation room,bay,corridor "
    "station,nurses station,sluice,treatment room,linen cupboard,medicines fridge,controlled "
    "drug,pain relief,paracetamol,opioid,anticoagulant,heparin,warfarin,steroid,antifungal,"
    "antiseptic,chlorhexidine,alcohol gel,wound culture,blood test,blood pressure,heart rate,"
    "respiratory rate,oxygen saturation,capillary refill,skin turgor,skin integrity,skin check,"
    "body map,wound chart,wound bed,undermining,tunnelling,sinus,fistula,periwound skin,callus,"
    "corn,fungal nail,foot check,footwear,insole,orthotic,podiatrist,vascular surgeon,"
    "dermatologist,plastic surgeon,tissue viability nurse,diabetes nurse,stoma nurse,"
    "continence nurse,palliative care,end of life care,advance care plan,family meeting,"
    "interpreter,capacity assessment,best interests decision,falls risk,bed sore,friction burn,"
    "moisture lesion,incontinence dermatitis,venous ulcer,arterial ulcer,diabetic foot ulcer,"
    "surgical wound,traumatic wound,chronic wound,acute wound,healing rate,wound healing,"
    "epithelialisation,contraction,inflammation,proliferation,remodelling,collagen,fibroblast";

static const char noun_lead[] =
    "governor,headteacher,deputy head,senior team,middle leader,head of department,head of year,"
    "line manager,appraisal,performance review,learning walk,book scrutiny,data drop,tracking,"
    "cover,supply teacher,recruitment,retention,vacancy,probation,early career teacher,"
    "professional development,training day,twilight session,staff meeting,briefing,improvement "
    "plan,development plan,self-evaluation,inspector,academy,local authority,staffing,premises,"
    "exclusion,suspension,behaviour policy,detention,parents evening,governing body,chair,"
    "committee,minutes,consultation,stakeholder,union,morale,turnover,absence,sick leave,phased "
    "return,flexible working,part-time post,job share,pay scale,promotion,allowance,succession,"
    "capacity,initiative,ethos,climate,cluster,hub,federation,outreach,admissions,curriculum map,"
    "options evening,qualification,accreditation,moderation,standardisation,results day,league "
    "table,progress measure,attainment gap,disadvantage,inclusion,provision,support plan,"
    "referral,external agency,counsellor,educational psychologist,speech therapist,teaching "
    "assistant,learning mentor,pastoral team,form tutor,house system,school council,student "
    "voice,questionnaire,focus group,action plan,review point,evaluation,impact report,evidence "
    "base,research lead,journal club,lesson study,instructional coaching,deliberate practice,"
    "feedback loop,walkthrough,drop-in,open door,peer review,moderation meeting,staff survey,"
    "exit interview,workload charter,marking policy,homework policy,assessment calendar,report "
    "cycle,data manager,business manager,site manager,finance committee,audit committee,risk "
    "register,safeguarding lead,designated lead,attendance officer,family liaison,transition "
    "day,open evening,prospectus,website update,press release,complaint procedure,appeal,"
    "tribunal,grievance,capability procedure,disciplinary,whistleblowing,equality duty,"
    "accessibility plan,estates strategy,energy bill,capital bid,building project,contractor,"
    "procurement,tender,supplier,catering contract,cleaning contract,trust board,chief executive,"
    "regional director,school partnership,peer review visit,quality assurance,monitoring visit,"
    "deep dive,subject leader,curriculum intent,implementation,sequencing,knowledge organiser,"
    "retrieval quiz,whole school approach,teaching and learning group,working party,steering "
    "group,task force,away day,strategy day,planning meeting,timetabler,options block,setting "
    "policy,mixed attainment policy,catch-up funding,tutoring programme,holiday club,breakfast "
    "club,after school club,enrichment,extracurricular,duke of edinburgh,school trip,residential,"
    "risk assessment form,consent form,permission slip,medical form,staff handbook,induction pack,"
    "wellbeing survey,employee assistance,supervision,debrief,reflective practice,coaching "
    "conversation,mentor meeting,career conversation,succession plan,leadership programme,"
    "national qualification,masters degree,research project,action research,practitioner enquiry";

static const char verb[] =
    "use,try,change,plan,mark,review,share,adapt,teach,explain,model,check,ask,answer,practise,"
    "discuss,support,build,start,stop,keep,give,take,make,find,show,help,write,read,test,track,"
    "record,compare,choose,focus on,improve,develop,design,create,prepare,organise,manage,lead,"
    "run,open,close,join,leave,meet,visit,observe,watch,notice,measure,estimate,calculate,solve,"
    "prove,simplify,expand,factorise,sketch,draw,label,sort,group,match,rank,order,connect,link,"
    "combine,separate,split,reduce,increase,cut,add,remove,replace,swap,move,turn,lift,clean,"
    "dress,wash,dry,apply,protect,assess,monitor,escalate,document,report,refer,discharge,admit,"
    "treat,photograph,reposition,inspect,audit,train,coach,mentor,guide,encourage,praise,reward,"
    "challenge,question,prompt,scaffold,fade,revisit,recap,retrieve,remember,forget,learn,"
    "understand,rethink,rewrite,redo,reorganise,reorder,restructure,rebuild,relaunch,repeat,"
    "rehearse,present,demonstrate,illustrate,clarify,summarise,highlight,emphasise,collect,"
    "gather,analyse,interpret,evaluate,reflect on,consider,examine,explore,investigate,research,"
    "study,cite,borrow,lend,send,post,upload,download,print,copy,edit,update,delete,save,store,"
    "file,name,email,phone,book,schedule,cancel,postpone,delay,rush,slow down,speed up,pause,"
    "wait for,enjoy,prefer,need,want,miss,lose,win,gain,earn,spend,fund,hire,recruit,retain,"
    "promote,appraise,moderate,standardise,benchmark,pilot,trial,scale up,embed,sustain,"
    "streamline,automate,delegate,prioritise,balance,juggle,cope with,survive,celebrate,thank,"
    "welcome,invite,include,involve,engage,motivate,inspire,persuade,convince,remind,warn,"
    "advise,recommend,suggest,propose,request,require,allow,limit,restrict,extend,stretch,"
    "deepen,broaden,widen,narrow,sharpen,strengthen,soften,tighten,loosen,raise,lower,drop,"
    "hold,release,fix,repair,mend,sponsor,host,chair,attend,skip,cover,split up,pair up,set,"
    "stream,timetable,rota,tidy,label up,colour code,laminate,photocopy,staple,display,pin up,"
    "tweak,adjust,calibrate,fine-tune,tailor,personalise,differentiate,stretch out,chunk,"
    "sequence,interleave,space out,space,bundle,package,wrap up,round off,follow up,check in,"
    "sign off,hand over,pass on,write up,read up on,look into,look at,sort out,set up,try out,"
    "work out,figure out,think through,talk through,walk through,map out,spell out,point out,"
    "rule out,carry out,put off,take on,take over,give up,keep up,catch up on,build on,draw on,"
    "rely on,depend on,count on,agree on,settle on,decide on,insist on,comment on,reflect,"
    "forecast,predict,project,plot,graph,tabulate,code,script,automate away,simulate,animate,"
    "visualise,imagine,picture,frame,reframe,question again,contest,defend,justify,argue for,"
    "argue against,weigh up,trade off,sacrifice,protect time for,ring-fence,budget for,cost,"
    "price,bid for,apply for,qualify for,train for,prepare for,revise for,aim for,hope for";

static const char past[] =
    "tried,used,changed,helped,noticed,found,worked,made,took,gave,showed,asked,started,stopped,"
    "kept,moved,shared,planned,marked,taught,learnt,explained,checked,improved,reduced,increased,"
    "doubled,halved,saved,needed,surprised,confused,annoyed,pleased,bored,worried,excited,"
    "motivated,encouraged,supported,challenged,transformed,shaped,guided,slowed,simplified,"
    "clarified,highlighted,revealed,exposed,uncovered,solved,fixed,broke,missed,lost,won,gained,"
    "built,designed,created,wrote,read,drew,sketched,measured,recorded,tracked,compared,sorted,"
    "grouped,matched,linked,combined,adapted,replaced,removed,added,cut,extended,shortened,"
    "covered,reviewed,revisited,repeated,practised,rehearsed,modelled,demonstrated,observed,"
    "watched,visited,inspected,audited,assessed,dressed,cleaned,applied,protected,monitored,"
    "escalated,documented,reported,referred,treated,healed,eased,relieved,calmed,settled,"
    "energised,tired,exhausted,overwhelmed,freed,opened,closed,joined,led,ran,organised,managed,"
    "prepared,prioritised,delayed,postponed,rushed,paused,finished,completed,passed,failed,"
    "scored,beat,celebrated,thanked,welcomed,invited,included,involved,engaged,inspired,"
    "persuaded,convinced,reminded,warned,advised,recommended,suggested,proposed,required,"
    "allowed,limited,restricted,deepened,broadened,sharpened,strengthened,weakened,softened,"
    "raised,lowered,lifted,dropped,held,released,mended,repaired,sponsored,hosted,chaired,"
    "attended,skipped,split,paired,set,streamed,tidied,laminated,displayed,tweaked,adjusted,"
    "calibrated,tailored,personalised,differentiated,chunked,sequenced,interleaved,spaced,"
    "bundled,packaged,simulated,visualised,imagined,framed,reframed,contested,defended,"
    "justified,weighed,traded,sacrificed,protected,budgeted,costed,priced,qualified,trained,"
    "revised,aimed,hoped,doubted,questioned,puzzled,intrigued,delighted,frustrated,disappointed,"
    "reassured,unsettled,steadied,anchored,grounded,sparked,triggered,prompted,provoked,sustained";

static const char adj[] =
    "good,new,first,last,long,great,little,own,other,old,right,big,high,different,small,large,"
    "next,early,young,important,few,bad,same,able,clear,simple,short,quick,slow,hard,easy,"
    "useful,helpful,practical,real,whole,full,main,key,best,better,worse,common,rare,strong,"
    "weak,deep,shallow,wide,narrow,quiet,loud,busy,calm,tired,happy,proud,confident,nervous,"
    "anxious,curious,keen,willing,ready,careful,thoughtful,honest,fair,kind,patient,firm,gentle,"
    "consistent,regular,daily,weekly,monthly,annual,formal,informal,written,spoken,verbal,"
    "visual,physical,digital,online,printed,shared,individual,personal,collective,whole-class,"
    "small-group,one-to-one,mixed,similar,specific,general,broad,focused,detailed,brief,"
    "thorough,rough,accurate,precise,correct,wrong,partial,complete,unfinished,open,closed,free,"
    "cheap,expensive,local,national,international,rural,urban,remote,nearby,senior,junior,"
    "experienced,newly qualified,typical,unusual,surprising,obvious,subtle,interesting,boring,"
    "engaging,exciting,frustrating,difficult,challenging,demanding,manageable,realistic,"
    "ambitious,modest,reasonable,sensible,safe,risky,urgent,acute,chronic,mild,severe,moderate,"
    "minor,major,serious,sore,painful,healthy,fragile,vulnerable,elderly,frail,independent,"
    "dependent,mobile,dry,wet,moist,warm,cold,clean,sterile,red,pink,white,yellow,green,blue,"
    "dark,bright,fresh,recent,current,previous,former,future,upcoming,final,initial,basic,"
    "advanced,higher,lower,upper,middle,central,top,bottom,front,inner,outer,positive,negative,"
    "neutral,equal,unequal,equivalent,proportional,linear,random,fixed,constant,continuous,"
    "discrete,average,extreme,missing,hidden,visible,explicit,implicit,structured,unstructured,"
    "scaffolded,guided,collaborative,supportive,inclusive,diverse,bilingual,multilingual,fluent,"
    "tentative,bold,brave,cautious,relaxed,tense,steady,shaky,solid,flimsy,robust,fragmented,"
    "coherent,joined-up,patchy,uneven,balanced,lopsided,crowded,empty,noisy,peaceful,chaotic,"
    "orderly,messy,tidy,organised,disorganised,prepared,unprepared,overdue,timely,late,punctual,"
    "flexible,rigid,adaptable,responsive,proactive,reactive,reflective,critical,analytical,"
    "creative,imaginative,playful,serious-minded,light-hearted,warm-hearted,open-minded,"
    "evidence-based,research-informed,well-meant,hard-won,long-term,short-term,medium-term,"
    "part-time,full-time,evening,overnight,weekend,seasonal,temporary,permanent,interim,"
    "provisional,draft,official,unofficial,optional,compulsory,statutory,voluntary,paid,unpaid,"
    "generous,tight,stretched,squeezed,overloaded,underused,overlooked,underrated,overrated,"
    "popular,unpopular,well-known,little-known,forgotten,remembered,celebrated,neglected,"
    "familiar,unfamiliar,strange,odd,peculiar,ordinary,extraordinary,remarkable,notable,minor "
    "but useful,tiny,huge,enormous,vast,compact,slim,thick,thin,heavy,light,sharp,blunt,smooth,"
    "rough-edged,soft,firm-handed,dense,sparse,rich,poor,plain,fancy,elegant,clumsy,awkward,"
    "graceful,neat,scruffy,polished,raw,refined,crude,sophisticated,naive,mature,immature,"
    "developing,emerging,established,embedded,fading,growing,shrinking,rising,falling,stable,"
    "volatile,predictable,unpredictable,reliable,unreliable,trustworthy,doubtful,plausible,"
    "implausible,convincing,unconvincing,persuasive,compelling,weak-looking,fragile-looking";

static const char adv[] =
    "really,usually,often,always,never,sometimes,quickly,slowly,carefully,clearly,simply,still,"
    "already,also,only,even,almost,nearly,quite,rather,fairly,very,too,together,again,later,"
    "soon,finally,eventually,gradually,suddenly,immediately,regularly,rarely,occasionally,"
    "mostly,mainly,largely,partly,fully,completely,entirely,hardly,barely,slightly,gently,"
    "firmly,quietly,loudly,openly,honestly,genuinely,actually,probably,possibly,certainly,"
    "definitely,obviously,surprisingly,interestingly,unfortunately,fortunately,happily,sadly,"
    "thankfully,luckily,consistently,deliberately,explicitly,briefly,properly,correctly,"
    "accurately,precisely,roughly,exactly,easily,naturally,independently,collectively,"
    "individually,steadily,patiently,calmly,bravely,cautiously,boldly,neatly,quietly enough,"
    "well,badly,fast,hard,early on,late on,at once,in turn,in time,on time,by hand,in person";

static const char prep[] =
    "in,with,for,on,about,from,after,before,during,without,across,between,through,into,over,"
    "under,around,among,against,towards,beyond,within,alongside,despite,like,near,behind,beside";

static const char det[] = "the,a,this,our,my,that,every,each,some,one,their,your,another,any";

static const char subject[] =
    "I,we,they,you,my class,our team,my colleagues,our department,the pupils,most of us,my "
    "mentor,the whole team,our ward,the night staff,my students,the group,our trust,the new "
    "staff,my head of department,the parents,our school,the learners,my tutor group,the senior "
    "team,our unit,the day staff,my partner teacher,the trainees,the families,the governors";

static const char opener[] =
    "last week,in my experience,honestly,to be fair,this term,at the moment,for what it is "
    "worth,in our school,on our ward,so far,looking back,in practice,in theory,to be honest,as a "
    "rule,most of the time,from experience,this year,last year,yesterday,today,on Monday,after "
    "half term,before the holidays,in the end,at first,since September,over the summer,during "
    "the pilot,in my first year,with my Year 10 class,with the night team,after the audit,after "
    "the inspection,in the last review,at our last meeting,from the data,in the research,in the "
    "trial,according to the guideline,following the training,thanks to this group,oddly enough,"
    "interestingly,surprisingly,sadly,happily,for us,in short,on balance,all in all,by contrast";

static const char ask[] =
    "has anyone tried to,does anyone,how do you,what is the best way to,would it help to,is it "
    "worth trying to,has anyone managed to,why do we,when do you,how often do you,do you ever,"
    "should we,could we,can anyone explain how to,who else has had to,where do you,is it better "
    "to,what happens if we,how would you,do you still";

static const char when[] =
    "every week,every lesson,before the exam,at the end of the lesson,after lunch,on Fridays,at "
    "the start of term,during the night shift,at handover,after each dressing change,in the "
    "first five minutes,once a fortnight,twice a day,by the end of the year,over the holidays,"
    "in the morning,in the afternoon,before the inspection,after the mock exams,during tutor "
    "time,in department time,on the ward round,at the next review,within a week,for a whole "
    "term,for six weeks,until half term,this time,next time,every time,most days,on the first "
    "visit,at discharge,on admission,in the last ten minutes,before lunch,after school,at "
    "weekends,in the holidays,at the start,at the end,from now on,for now,for the moment,next "
    "term,next year,last term,this spring,in the summer";

static const char conjunction[] =
    "and,but,so,because,although,while,though,since,until,unless,and then";

static const char syllable[] =
    "ka,ro,mi,ven,tal,sor,bel,dra,lin,qua,zen,por,ith,mar,sel,tov,nar,ulo,fen,gri,hal,bex,cor,"
    "dun,elk,fra,gol,hym,ist,jor,kel,lum,mox,nev,orb,pel,quin,ras,sut,tem,uv,vor,wyn,xan,yel,zor";

static const char first[] =
    "Amara,Kwame,Mei,Diego,Fatima,Oliver,Priya,Jonas,Aisha,Liam,Yuki,Sofia,Chidi,Emma,Mateo,Noor,"
    "Ben,Ngozi,Lukas,Ana,Wiremu,Grace,Samir,Ingrid,Zanele,Marek,Leila,Connor,Elif,Arjun,Chloe,"
    "Helen,Kofi,Paulo,Anya,Margaret,Jin,Lucia,Ravi,Bridget,Tariq,Hana,Omar,Sara,Tom,Nia,Ivan,"
    "Rosa,Malik,Julia,Femi,Aiko,Carlos,Dana,Erik,Farah,Gabriel,Hugo,Isla,Jamal,Kiri,Lars,Maya,"
    "Nadia,Oscar,Pita,Quinn,Rania,Sven,Tanvi,Uma,Victor,Wen,Ximena,Yara,Zeynep,Adam,Bea,Cai,Dev";

static const char last[] =
    "Okafor,Mensah,Tan,Fernandez,Benali,Bennett,Raman,Lindqvist,Yusuf,Walsh,Nakamura,Rossi,Eze,"
    "Williams,Garcia,Haddad,Cohen,Adeyemi,Weber,Souza,Tane,Kim,Khan,Hansen,Dlamini,Kowalski,"
    "Ahmadi,Yilmaz,Patel,Martin,Boateng,Silva,Petrova,Osei,Park,Torres,Shankar,Nolan,Hussain,"
    "Murphy,Delgado,Novak,Larsen,Moreau,Schmidt,Ivanova,Sato,Chen,Nguyen,Mbeki,Costa,Jensen,"
    "Kaur,Singh,Ali,Hughes,Brown,Taylor,Davies,Evans,Wilson,Thomas,Roberts,Lewis,Walker,Wright,"
    "Green,Hall,Wood,Clarke,Jackson,Turner,Okoye,Banda,Moyo,Reyes,Castro,Romano,Dubois,Fischer";

const char *const vocab_text[VOCAB__MAX][2] = {
    [VOCAB_NOUN] = {noun, noun_more},
    [VOCAB_NOUN_MATHS] = {noun_maths, NULL},
    [VOCAB_NOUN_CARE] = {noun_care, NULL},
    [VOCAB_NOUN_LEAD] = {noun_lead, NULL},
    [VOCAB_VERB] = {verb, NULL},
    [VOCAB_PAST] = {past, NULL},
    [VOCAB_ADJ] = {adj, NULL},
    [VOCAB_ADV] = {adv, NULL},
    [VOCAB_PREP] = {prep, NULL},
    [VOCAB_DET] = {det, NULL},
    [VOCAB_SUBJECT] = {subject, NULL},
    [VOCAB_OPENER] = {opener, NULL},
    [VOCAB_ASK] = {ask, NULL},
    [VOCAB_WHEN] = {when, NULL},
    [VOCAB_CONJ] = {conjunction, NULL},
    [VOCAB_SYLLABLE] = {syllable, NULL},
    [VOCAB_FIRST] = {first, NULL},
    [VOCAB_LAST] = {last, NULL},
};
